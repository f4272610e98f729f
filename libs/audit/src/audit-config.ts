import { envFields, loadEnvConfig } from '@gateway/platform';
import { z } from 'zod';

const days = (fallback: number) =>
  z.coerce
    .number({ error: 'expected a whole number of days (at least 1)' })
    .int('expected a whole number of days (at least 1)')
    .min(1, 'expected a whole number of days (at least 1)')
    .default(fallback);

const auditEnvSchema = z.object({
  AUDIT_RETENTION_DAYS: days(90),
  AUDIT_RETENTION_INTERVAL_MS: envFields.milliseconds(60 * 60 * 1000),
});

export interface AuditConfig {
  /** Records are kept at least this many days; older daily partitions are dropped whole. */
  readonly retentionDays: number;
  /** How often the retention job runs (it also creates the coming days' partitions). */
  readonly retentionIntervalMs: number;
}

export function loadAuditConfig(env: NodeJS.ProcessEnv = process.env): AuditConfig {
  const parsed = loadEnvConfig(auditEnvSchema, env);
  return {
    retentionDays: parsed.AUDIT_RETENTION_DAYS,
    retentionIntervalMs: parsed.AUDIT_RETENTION_INTERVAL_MS,
  };
}

export const AUDIT_CONFIG = Symbol('AUDIT_CONFIG');
