import { randomUUID } from 'node:crypto';
import { AdminChange, type AdminChangeValue } from '@gateway/contracts';
import { type EventBus, publishEvent } from '@gateway/platform';
import type { Principal } from '@gateway/security';

/** Who made a change besides an admin: the config file at start, or the service itself (seeding). */
export const Actors = { config: 'config', system: 'system' } as const;

/** The acting admin; 'system' when no principal is known (a module booted without the admin guard). */
export function actorOf(principal: Principal | undefined): string {
  return principal?.id ?? Actors.system;
}

/** AdminChange entity ids: one namespace per kind of thing, since policy ids may be any name. */
export const changedEntity = {
  policy: (tenant: string, id: string) => `policy:${tenant}/${id}`,
  rateLimits: (tenant: string) => `rate-limits:${tenant}`,
  guardrails: (tenant: string) => `guardrails:${tenant}`,
};

export type RecordedChange = Pick<AdminChangeValue, 'actor' | 'entityId' | 'action' | 'revision'>;

/** Publishes one AdminChange event (entity type "policy") for the audit trail. */
export function recordAdminChange(bus: EventBus, change: RecordedChange): void {
  publishEvent(bus, AdminChange, {
    eventId: randomUUID(),
    occurredAt: new Date().toISOString(),
    entityType: 'policy',
    ...change,
  });
}
