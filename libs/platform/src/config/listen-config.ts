import { z } from 'zod';
import { envFields } from './env-fields';
import { loadEnvConfig } from './load-config';

export interface HttpListenConfig {
  readonly host: string;
  readonly port: number;
}

/** `<PREFIX>_HTTP_HOST` and `<PREFIX>_HTTP_PORT`, e.g. AUDIT_HTTP_PORT; loopback unless told otherwise. */
export function loadHttpListenConfig(
  prefix: string,
  defaultPort: number,
  env = process.env,
): HttpListenConfig {
  const parsed = loadEnvConfig(
    z.object({
      [`${prefix}_HTTP_HOST`]: envFields.host('127.0.0.1'),
      [`${prefix}_HTTP_PORT`]: envFields.port(defaultPort),
    }),
    env,
  ) as Record<string, string | number>;
  return { host: String(parsed[`${prefix}_HTTP_HOST`]), port: Number(parsed[`${prefix}_HTTP_PORT`]) };
}

/** A gRPC address variable, e.g. AUTH_GRPC_ADDRESS. */
export function loadGrpcAddress(variable: string, fallback: string, env = process.env): string {
  const parsed = loadEnvConfig(z.object({ [variable]: envFields.grpcAddress(fallback) }), env) as Record<
    string,
    string
  >;
  return parsed[variable]!;
}
