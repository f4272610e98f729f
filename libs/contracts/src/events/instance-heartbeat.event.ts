import { z } from 'zod';
import { upstreamTransport } from './catalog-record.event';
import { defineEvent } from './event-definition';
import { Topics } from './topics';

export const upstreamState = z.enum(['connecting', 'ready', 'backoff', 'stopped']);

export const UpstreamStatusSchema = z.object({
  serverId: z.string().min(1),
  server: z.string().min(1).describe('Server name as agents see it'),
  transport: upstreamTransport,
  state: upstreamState,
  restarts: z
    .number()
    .int()
    .nonnegative()
    .describe('Reconnects of this connection since the router replica opened it; a counter'),
  lastError: z.string().optional().describe('Why the connection last failed, if it ever did'),
});

const RouterStatusSchema = z.object({
  service: z.literal('router'),
  upstreams: z.array(UpstreamStatusSchema).describe("This replica's connection to each upstream"),
});

const IngressStatusSchema = z.object({
  service: z.literal('ingress'),
  activeSessions: z.number().int().nonnegative().describe('Downstream MCP sessions open on this replica'),
});

const heartbeatFields = {
  instanceId: z.string().min(1).describe('The replica, e.g. ROUTER_INSTANCE_ID; also the message key'),
  reportedAt: z.iso.datetime().describe('When the replica took this snapshot (UTC)'),
  intervalMs: z
    .number()
    .int()
    .positive()
    .describe('How often the replica reports; readers forget it after three intervals of silence'),
  consumerGroups: z
    .array(z.string().min(1))
    .describe('Kafka consumer groups this replica consumes with, so their lag can be watched'),
};

/** A replica's state, published every interval and on change; a tombstone says it shut down. */
export const InstanceHeartbeatSchema = z
  .discriminatedUnion('service', [
    RouterStatusSchema.extend(heartbeatFields),
    IngressStatusSchema.extend(heartbeatFields),
  ])
  .describe('Latest state of one router or ingress replica (compacted; a tombstone removes it)');

export const InstanceHeartbeat = defineEvent({
  topic: Topics.instances,
  version: 1,
  schema: InstanceHeartbeatSchema,
  key: (heartbeat) => heartbeat.instanceId,
  description:
    'Latest state of one router or ingress replica, keyed by instance id: upstream connections or ' +
    'open sessions. Sent every intervalMs and on change; a tombstone on graceful shutdown.',
  example: {
    service: 'router',
    instanceId: 'router-0',
    reportedAt: '2026-11-21T10:15:30.000Z',
    intervalMs: 5_000,
    consumerGroups: ['router-0-catalog'],
    upstreams: [
      { serverId: 'everything', server: 'everything', transport: 'stdio', state: 'ready', restarts: 0 },
      {
        serverId: 'weather',
        server: 'weather',
        transport: 'streamable-http',
        state: 'backoff',
        restarts: 3,
        lastError: 'connect ECONNREFUSED 10.0.0.7:8080',
      },
    ],
  },
});

export type UpstreamStatusValue = z.infer<typeof UpstreamStatusSchema>;
export type InstanceHeartbeatValue = z.infer<typeof InstanceHeartbeatSchema>;
/** The service-specific part of a heartbeat, what a replica reports about itself. */
export type InstanceStatus = z.infer<typeof RouterStatusSchema> | z.infer<typeof IngressStatusSchema>;
