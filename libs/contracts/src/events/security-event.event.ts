import { z } from 'zod';
import { defineEvent } from './event-definition';
import { Topics } from './topics';

export const SecurityEventSchema = z
  .object({
    eventId: z.uuid(),
    occurredAt: z.iso.datetime(),
    tenant: z.string().min(1),
    kind: z.enum(['authentication-failed', 'access-denied', 'rate-limited', 'guardrail']),
    principal: z.string().optional().describe('Absent when the caller could not be identified'),
    method: z.string().optional(),
    target: z.string().optional(),
    reason: z.string().min(1),
    clientAddress: z.string().optional(),
    traceId: z.string().optional(),
    server: z.string().optional().describe('The upstream server concerned, when one is'),
    credentialId: z.string().optional().describe('API key id or token id (jti) presented, when known'),
    action: z
      .string()
      .optional()
      .describe('What the gateway did: rejected, masked, quarantined, held, throttled'),
    retryAfterMs: z.number().int().nonnegative().optional().describe('For rate-limited: when to retry'),
  })
  .describe('Authentication failures, denials, rate-limit hits and guardrail actions');

export const SecurityEvent = defineEvent({
  topic: Topics.security,
  version: 1,
  schema: SecurityEventSchema,
  key: (event) => event.tenant,
  description: 'Authentication failures, denials, rate-limit hits and guardrail actions.',
  example: {
    eventId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
    occurredAt: '2026-11-21T10:15:31.000Z',
    tenant: 'default',
    kind: 'authentication-failed',
    reason: 'token expired',
    clientAddress: '127.0.0.1',
  },
});

export type SecurityEventValue = z.infer<typeof SecurityEventSchema>;
