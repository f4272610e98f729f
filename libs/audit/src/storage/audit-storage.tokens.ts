/** The audit service's Database (its own schema, migrated at start). */
export const AUDIT_DATABASE = Symbol('AUDIT_DATABASE');

/** The schema the audit tables live in: "audit", or a throwaway one in tests. */
export const AUDIT_SCHEMA = Symbol('AUDIT_SCHEMA');

/** Where audit reads the time it records rows at; tests move it to fill old partitions. */
export const AUDIT_CLOCK = Symbol('AUDIT_CLOCK');

export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

export const AUDIT_SCHEMA_NAME = 'audit';
