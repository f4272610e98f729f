import { z } from 'zod';

/** Field types for environment variables: each error message states the expected form. */
export const envFields = {
  port: (fallback: number) =>
    z.coerce
      .number({ error: 'expected a TCP port number (0-65535)' })
      .int('expected a TCP port number (0-65535)')
      .min(0, 'expected a TCP port number (0-65535)')
      .max(65535, 'expected a TCP port number (0-65535)')
      .default(fallback),

  host: (fallback: string) => z.string().min(1, 'expected a host name or IP address').default(fallback),

  /** "host:port,host:port" */
  brokers: (fallback: string) =>
    z
      .string()
      .default(fallback)
      .transform((value) =>
        value
          .split(',')
          .map((broker) => broker.trim())
          .filter(Boolean),
      )
      .refine(
        (brokers) => brokers.length > 0 && brokers.every((broker) => /^[^\s:]+:\d{1,5}$/.test(broker)),
        'expected a comma-separated list of host:port, e.g. 127.0.0.1:9092',
      ),

  /** A gRPC target such as 127.0.0.1:50051 or unix:/path/to/socket. */
  grpcAddress: (fallback: string) =>
    z
      .string()
      .default(fallback)
      .refine(
        (value) => /^unix:.+$/.test(value) || /^[^\s:]+:\d{1,5}$/.test(value),
        'expected host:port or unix:/path/to/socket',
      ),

  postgresUrl: () =>
    z
      .string({ error: 'expected a postgres:// URL, e.g. postgres://user:pass@127.0.0.1:5432/db' })
      .regex(
        /^postgres(ql)?:\/\//,
        'expected a postgres:// URL, e.g. postgres://user:pass@127.0.0.1:5432/db',
      ),

  bus: () => z.enum(['kafka', 'in-process'], { error: 'expected "kafka" or "in-process"' }).default('kafka'),

  count: (fallback: number) =>
    z.coerce
      .number({ error: 'expected a positive whole number' })
      .int('expected a positive whole number')
      .positive('expected a positive whole number')
      .default(fallback),

  milliseconds: (fallback: number) =>
    z.coerce
      .number({ error: 'expected a duration in milliseconds' })
      .int('expected a whole number of milliseconds')
      .positive('expected a positive number of milliseconds')
      .default(fallback),
};
