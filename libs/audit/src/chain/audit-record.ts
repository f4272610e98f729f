/** What the trail records: handled MCP messages, security events and admin changes. */
export const auditKinds = ['call', 'security', 'admin'] as const;
export type AuditKind = (typeof auditKinds)[number];

/** The columns a record is filtered on, taken from its event when it is recorded. */
export interface AuditColumns {
  readonly tenant: string | null;
  /** Who acted: the agent, user or service account of a call, the actor of an admin change. */
  readonly principal: string | null;
  readonly server: string | null;
  /** Tool, resource or prompt of a call; the changed entity of an admin change. */
  readonly target: string | null;
  readonly method: string | null;
  readonly decision: string | null;
  readonly outcome: string | null;
  readonly sessionId: string | null;
  readonly traceId: string | null;
}

/** An event ready to be appended to its chain. */
export interface AuditEntry extends AuditColumns {
  readonly kind: AuditKind;
  readonly chain: string;
  /** Lower-case, as Postgres returns a uuid, so the hash recomputed from a stored row matches. */
  readonly eventId: string;
  /** Millisecond precision, as stored. */
  readonly occurredAt: Date;
  /** The whole event as it arrived (its JSON form), stored and hashed as is. */
  readonly event: Readonly<Record<string, unknown>>;
}

/** An entry once appended: its place in its chain and the hashes linking it to its predecessor. */
export interface AuditRecord extends AuditEntry {
  readonly seq: number;
  /** When audit appended it; never earlier than its predecessor's (see chain-appender.ts). */
  readonly recordedAt: Date;
  readonly prevHash: string;
  readonly hash: string;
}

/** The last record of a chain: appends continue from it, verification must end on it. */
export interface ChainHead {
  readonly chain: string;
  readonly seq: number;
  readonly hash: string;
  /** Null for a chain that has no record yet. */
  readonly recordedAt: Date | null;
}

/** The record a chain's first remaining record links to: genesis, or the last one retention dropped. */
export interface ChainAnchor {
  readonly seq: number;
  readonly hash: string;
}

/** The prev_hash of the first record of every chain. */
export const GENESIS_HASH = '0'.repeat(64);

export const genesisAnchor: ChainAnchor = { seq: 0, hash: GENESIS_HASH };

export function emptyHead(chain: string): ChainHead {
  return { chain, seq: genesisAnchor.seq, hash: genesisAnchor.hash, recordedAt: null };
}
