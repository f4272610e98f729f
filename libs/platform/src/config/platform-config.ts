import { z } from 'zod';
import type { BusConfig } from '../service/platform.module';
import { envFields } from './env-fields';
import { loadEnvConfig } from './load-config';

const platformEnvSchema = z.object({
  GATEWAY_BUS: envFields.bus(),
  KAFKA_BROKERS: envFields.brokers('127.0.0.1:9092'),
  DATABASE_URL: envFields.postgresUrl().optional(),
  BUS_BUFFER_MAX_MESSAGES: envFields.count(10_000),
  BUS_SPOOL_DIR: z.string().default('.data/spool'),
  BUS_SPOOL_MAX_BYTES: envFields.count(1024 * 1024 * 1024),
});

export interface PlatformConfig {
  readonly bus: BusConfig;
  readonly databaseUrl?: string;
}

/** The settings every distributed service process shares: where Kafka and Postgres are. */
export function loadPlatformConfig(
  env: NodeJS.ProcessEnv = process.env,
  needsDatabase = false,
): PlatformConfig {
  const schema = needsDatabase ? platformEnvSchema.required({ DATABASE_URL: true }) : platformEnvSchema;
  const parsed = loadEnvConfig(schema, env);
  return {
    bus:
      parsed.GATEWAY_BUS === 'kafka'
        ? {
            kind: 'kafka',
            brokers: parsed.KAFKA_BROKERS,
            maxBufferedMessages: parsed.BUS_BUFFER_MAX_MESSAGES,
            // An empty BUS_SPOOL_DIR turns the spool off: a full buffer then drops its oldest.
            spool:
              parsed.BUS_SPOOL_DIR === ''
                ? undefined
                : { root: parsed.BUS_SPOOL_DIR, maxBytes: parsed.BUS_SPOOL_MAX_BYTES },
          }
        : { kind: 'in-process' },
    databaseUrl: parsed.DATABASE_URL,
  };
}
