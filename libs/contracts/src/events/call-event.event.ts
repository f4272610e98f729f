import { z } from 'zod';
import { defineEvent } from './event-definition';
import { Topics } from './topics';

export const callOutcome = z.enum(['ok', 'error', 'denied']);

export const CallEventSchema = z
  .object({
    eventId: z.uuid().describe('Unique per event; consumers use it to drop redeliveries'),
    occurredAt: z.iso.datetime().describe('When ingress finished handling the message (UTC)'),
    sessionId: z.string().min(1).describe('Downstream MCP session id, or "stateless"'),
    tenant: z.string().min(1),
    principal: z.string().min(1).describe('Who sent the message: user, agent or service account id'),
    method: z.string().min(1).describe('MCP method, e.g. tools/call'),
    server: z.string().optional().describe('Upstream server that served it; absent for fan-out'),
    target: z.string().optional().describe('Tool, resource or prompt name as the agent addressed it'),
    decision: z.enum(['allow', 'deny']),
    outcome: callOutcome,
    errorCode: z.number().int().optional().describe('JSON-RPC error code when outcome is error'),
    errorMessage: z.string().optional(),
    latencyMs: z.number().nonnegative(),
    requestBytes: z.number().int().nonnegative(),
    responseBytes: z.number().int().nonnegative(),
    traceId: z.string().optional().describe('W3C trace id of the request'),
    ingressInstance: z.string().min(1).describe('Which ingress replica handled it'),
  })
  .describe('One event per MCP message handled by ingress');

export const CallEvent = defineEvent({
  topic: Topics.calls,
  version: 1,
  schema: CallEventSchema,
  key: (event) => event.sessionId,
  description: 'One event per MCP message handled by ingress: who, what, decision, outcome, latency.',
  example: {
    eventId: '2f1b7c9e-3f0a-4c5e-9d7b-1a2b3c4d5e6f',
    occurredAt: '2026-11-21T10:15:30.123Z',
    sessionId: 'b7d3c0de-0000-4000-8000-000000000001',
    tenant: 'default',
    principal: 'agent:build-bot',
    method: 'tools/call',
    server: 'everything',
    target: 'echo',
    decision: 'allow',
    outcome: 'ok',
    latencyMs: 3.2,
    requestBytes: 112,
    responseBytes: 87,
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    ingressInstance: 'ingress-0',
  },
});

export type CallEventValue = z.infer<typeof CallEventSchema>;
