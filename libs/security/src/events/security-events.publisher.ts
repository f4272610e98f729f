import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { trace } from '@opentelemetry/api';
import { SecurityEvent, type SecurityEventValue } from '@gateway/contracts';
import { EVENT_BUS, type EventBus, publishEvent } from '@gateway/platform';

export type SecurityEventInput = Omit<SecurityEventValue, 'eventId' | 'occurredAt' | 'traceId' | 'tenant'> & {
  /** Absent when the caller could not be identified at all. */
  readonly tenant?: string;
};

/** Tenant of the events whose caller could not be identified. */
export const unidentifiedTenant = 'default';

/**
 * Publishes authentication failures, denials, rate-limit hits and guardrail actions on
 * mcp.gateway.security.v1 (audit chains them per tenant). Like every publish it never waits on
 * or fails for the broker.
 */
@Injectable()
export class SecurityEventPublisher {
  constructor(@Inject(EVENT_BUS) private readonly bus: EventBus) {}

  publish(event: SecurityEventInput): void {
    publishEvent(this.bus, SecurityEvent, {
      ...event,
      tenant: event.tenant || unidentifiedTenant,
      reason: event.reason.slice(0, 1_000),
      eventId: randomUUID(),
      occurredAt: new Date().toISOString(),
      traceId: trace.getActiveSpan()?.spanContext().traceId,
    });
  }
}
