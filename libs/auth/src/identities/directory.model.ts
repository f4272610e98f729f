/* The identity directory as plain objects: what repositories return and services work on. */

export type EntryKind = 'user' | 'agent' | 'team' | 'role';

export interface TenantRecord {
  readonly name: string;
  readonly description: string;
  readonly createdAt: Date;
  readonly createdBy: string;
}

export interface DirectoryEntry {
  readonly id: string;
  readonly kind: EntryKind;
  readonly tenant: string;
  readonly name: string;
  readonly description: string;
  /** The scopes an agent may ask the token endpoint for; empty for the other kinds. */
  readonly scopes: readonly string[];
  readonly createdAt: Date;
  readonly createdBy: string;
}

/** Roles and teams to set on an entry; an absent list leaves the current ones as they are. */
export interface EntryLinks {
  readonly roles?: readonly string[];
  readonly teams?: readonly string[];
}

/** What a principal may present: its own roles and its teams' roles, and its teams. */
export interface PrincipalAccess {
  readonly roles: readonly string[];
  readonly teams: readonly string[];
}

export type PrincipalKind = 'user' | 'agent';

/**
 * How an entry is named where roles and memberships point at it, and in tokens: `user:alice`,
 * `agent:build-bot`, `team:sre`, `role:admin`. Unique within a tenant.
 */
export function qualifiedName(kind: EntryKind, name: string): string {
  return `${kind}:${name}`;
}

/** The kind and name of a principal id, or undefined for anything else. */
export function parsePrincipalId(id: string): { kind: PrincipalKind; name: string } | undefined {
  const match = /^(user|agent):(.+)$/.exec(id);
  return match ? { kind: match[1] as PrincipalKind, name: match[2]! } : undefined;
}
