import { randomUUID } from 'node:crypto';
import { AdminChange, type AdminChangeValue } from '@gateway/contracts';
import { type EventBus, publishEvent } from '@gateway/platform';
import type { Principal } from '@gateway/security';

/** The actor of changes the service makes by itself: first-run setup and scheduled key rotation. */
export const systemActor = 'system';

/** Who made an admin API change: the authenticated admin, or the service itself without one. */
export function actorOf(principal: Principal | undefined): string {
  return principal?.id ?? systemActor;
}

export type RecordedChange = Pick<AdminChangeValue, 'actor' | 'entityType' | 'entityId' | 'action'>;

/** Publishes one AdminChange event for the audit trail. */
export function recordAdminChange(bus: EventBus, change: RecordedChange): void {
  publishEvent(bus, AdminChange, { eventId: randomUUID(), occurredAt: new Date().toISOString(), ...change });
}
