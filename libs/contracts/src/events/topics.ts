/**
 * Every Kafka topic the gateway produces or consumes, in one place.
 *
 * Do not rename a topic or change its key: consumers outside this repository (SRE and security
 * teams) subscribe by these names. A breaking change to an event gets a new topic with the next
 * version suffix, published beside the old one until its consumers have moved.
 */
export interface TopicSpec {
  readonly name: string;
  /** What the message key is; consumers rely on per-key ordering. */
  readonly key: string;
  /** Log compaction keeps the latest record per key (state topics); others expire by time. */
  readonly compacted: boolean;
  readonly partitions: number;
  /**
   * Retention in milliseconds. On a compacted topic it also expires the latest record of a key
   * (cleanup policy compact,delete): for state whose keys come and go without a tombstone.
   */
  readonly retentionMs?: number;
}

/** A topic of the gateway's own, with who writes and reads it (documented in libs/contracts/STREAMS.md). */
export interface GatewayTopicSpec extends TopicSpec {
  readonly producedBy: readonly string[];
  /** The gateway's own consumers, as `service (consumer group)`; teams outside add their own groups. */
  readonly consumedBy: readonly string[];
}

/**
 * The fixed consumer group ids of the gateway's own services. Consumers, telemetry's lag polling
 * and the stream contract all take the names from here. Renaming one abandons its committed
 * offsets. Groups named per replica (router catalog, telemetry instances) are built from the
 * replica id by their services.
 */
export const ConsumerGroups = {
  auditCalls: 'audit',
  auditSecurity: 'audit-security',
  auditAdminChanges: 'audit-admin-changes',
  telemetryCalls: 'telemetry',
} as const;

const oneDay = 24 * 60 * 60 * 1000;
const sevenDays = 7 * oneDay;

export const Topics = {
  calls: {
    name: 'mcp.gateway.calls.v1',
    key: 'downstream session id',
    compacted: false,
    partitions: 6,
    retentionMs: sevenDays,
    producedBy: ['ingress'],
    consumedBy: [`audit (${ConsumerGroups.auditCalls})`, `telemetry (${ConsumerGroups.telemetryCalls})`],
  },
  security: {
    name: 'mcp.gateway.security.v1',
    key: 'tenant',
    compacted: false,
    partitions: 3,
    retentionMs: sevenDays,
    producedBy: ['ingress', 'router', 'registry', 'auth'],
    consumedBy: [`audit (${ConsumerGroups.auditSecurity})`],
  },
  catalog: {
    name: 'mcp.registry.catalog.v1',
    key: 'server id',
    compacted: true,
    partitions: 3,
    producedBy: ['registry'],
    consumedBy: ['router (router-<instance id>, from the beginning)'],
  },
  virtualServers: {
    name: 'mcp.registry.virtual-servers.v1',
    key: 'virtual server name',
    compacted: true,
    partitions: 3,
    producedBy: ['registry'],
    consumedBy: [
      'router (router-<instance id>-virtual-servers, from the beginning)',
      'ingress (ingress-<instance id>-virtual-servers, from the beginning)',
    ],
  },
  policyBundles: {
    name: 'mcp.policy.bundles.v1',
    key: 'tenant',
    compacted: true,
    partitions: 3,
    producedBy: ['policy'],
    consumedBy: [
      'ingress (<instance id>-policy-bundles, from the beginning)',
      'router (<instance id>-policy-bundles, from the beginning)',
    ],
  },
  revocations: {
    name: 'mcp.auth.revocations.v1',
    key: 'key or token id',
    compacted: true,
    partitions: 3,
    producedBy: ['auth'],
    consumedBy: ['every service that verifies credentials (<instance id>-revocations, from the beginning)'],
  },
  signingKeys: {
    name: 'mcp.auth.signing-keys.v1',
    key: 'key id (kid)',
    compacted: true,
    partitions: 1,
    producedBy: ['auth'],
    consumedBy: ['every service that verifies credentials (<instance id>-signing-keys, from the beginning)'],
  },
  toolPins: {
    name: 'mcp.registry.tool-pins.v1',
    key: 'server id and tool name',
    compacted: true,
    partitions: 3,
    producedBy: ['registry'],
    consumedBy: ['router (<instance id>-tool-pins, from the beginning)'],
  },
  adminChanges: {
    name: 'mcp.admin.changes.v1',
    key: 'entity id',
    compacted: false,
    partitions: 3,
    retentionMs: sevenDays,
    producedBy: ['registry', 'auth', 'policy'],
    consumedBy: [`audit (${ConsumerGroups.auditAdminChanges})`],
  },
  // A replica that crashes never sends its tombstone; the day's retention bounds what such
  // replicas leave behind, and readers drop a heartbeat older than three of its intervals anyway.
  instances: {
    name: 'mcp.gateway.instances.v1',
    key: 'instance id',
    compacted: true,
    partitions: 3,
    retentionMs: oneDay,
    producedBy: ['ingress', 'router'],
    consumedBy: ['telemetry (<telemetry instance id>-instances, from the beginning)'],
  },
} as const satisfies Record<string, GatewayTopicSpec>;

export type TopicName = (typeof Topics)[keyof typeof Topics]['name'];

export const allTopics: readonly GatewayTopicSpec[] = Object.values(Topics);
