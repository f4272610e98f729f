import { randomUUID } from 'node:crypto';
import {
  AdminChange,
  type AdminChangeValue,
  CallEvent,
  type CallEventValue,
  SecurityEvent,
  type SecurityEventValue,
} from '@gateway/contracts';

/* Events for the audit tests: the contract examples with fresh ids and chosen fields. */

export function callEvent(overrides: Partial<CallEventValue> = {}): CallEventValue {
  return { ...CallEvent.example, eventId: randomUUID(), ...overrides };
}

export function securityEvent(overrides: Partial<SecurityEventValue> = {}): SecurityEventValue {
  return { ...SecurityEvent.example, eventId: randomUUID(), ...overrides };
}

export function adminChange(overrides: Partial<AdminChangeValue> = {}): AdminChangeValue {
  return { ...AdminChange.example, eventId: randomUUID(), ...overrides };
}

/** `count` calls of one tenant, a millisecond apart from `start`. */
export function callEvents(
  count: number,
  overrides: Partial<CallEventValue> = {},
  start = Date.parse('2026-11-21T10:00:00.000Z'),
): CallEventValue[] {
  return Array.from({ length: count }, (_, index) =>
    callEvent({ occurredAt: new Date(start + index).toISOString(), ...overrides }),
  );
}
