import { randomUUID } from 'node:crypto';
import { AdminChange, type AdminChangeValue } from '@gateway/contracts';
import { type EventBus, publishEvent } from '@gateway/platform';

/** Who made a change: the declarative config at start, or the admin API (not authenticated yet). */
export const Actors = { config: 'config', api: 'api' } as const;

export type RecordedChange = Pick<
  AdminChangeValue,
  'actor' | 'entityType' | 'entityId' | 'action' | 'revision'
>;

/** Publishes one AdminChange event for the audit trail. */
export function recordAdminChange(bus: EventBus, change: RecordedChange): void {
  publishEvent(bus, AdminChange, { eventId: randomUUID(), occurredAt: new Date().toISOString(), ...change });
}
