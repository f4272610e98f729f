import { randomUUID } from 'node:crypto';
import { envFields, loadEnvConfig } from '@gateway/platform';
import { type EnvelopeCipher, loadMasterKeyCipher } from '@gateway/security';
import { z } from 'zod';

const routerEnvSchema = z.object({
  ROUTER_GRPC_ADDRESS: envFields.grpcAddress('127.0.0.1:50051'),
  REGISTRY_GRPC_ADDRESS: envFields.grpcAddress('127.0.0.1:50052'),
  ROUTER_CALL_TIMEOUT_MS: envFields.milliseconds(60_000),
  ROUTER_LIST_TIMEOUT_MS: envFields.milliseconds(5_000),
  ROUTER_LIST_CACHE_TTL_MS: z.coerce
    .number({ error: 'expected a duration in milliseconds' })
    .int('expected a whole number of milliseconds')
    .nonnegative('expected 0 (no caching) or more milliseconds')
    .default(5 * 60_000),
  ROUTER_CONNECT_TIMEOUT_MS: envFields.milliseconds(20_000),
  ROUTER_RESTART_BACKOFF_MS: envFields.milliseconds(250),
  ROUTER_RESTART_BACKOFF_MAX_MS: envFields.milliseconds(30_000),
  ROUTER_HEARTBEAT_INTERVAL_MS: envFields.milliseconds(5_000),
  ROUTER_INSTANCE_ID: z
    .string()
    .min(1)
    .default(() => `router-${randomUUID().slice(0, 8)}`),
});

export interface RouterConfig {
  readonly grpcAddress: string;
  readonly registryGrpcAddress: string;
  readonly instanceId: string;
  readonly callTimeoutMs: number;
  readonly listTimeoutMs: number;
  /** Aggregated lists are served from cache this long at most (list_changed clears them sooner). */
  readonly listCacheTtlMs: number;
  readonly connectTimeoutMs: number;
  readonly restartBackoff: { readonly initialMs: number; readonly maxMs: number };
  /** How often this replica reports its upstreams on mcp.gateway.instances.v1. */
  readonly heartbeatIntervalMs: number;
  /**
   * Opens the upstream credentials the registry sealed (GATEWAY_MASTER_KEY, the registry's key);
   * absent without one: a server whose record carries credentials then fails, saying so.
   */
  readonly credentialCipher?: EnvelopeCipher;
}

export function loadRouterConfig(env: NodeJS.ProcessEnv = process.env): RouterConfig {
  const parsed = loadEnvConfig(routerEnvSchema, env);
  return {
    grpcAddress: parsed.ROUTER_GRPC_ADDRESS,
    registryGrpcAddress: parsed.REGISTRY_GRPC_ADDRESS,
    instanceId: parsed.ROUTER_INSTANCE_ID,
    callTimeoutMs: parsed.ROUTER_CALL_TIMEOUT_MS,
    listTimeoutMs: parsed.ROUTER_LIST_TIMEOUT_MS,
    listCacheTtlMs: parsed.ROUTER_LIST_CACHE_TTL_MS,
    connectTimeoutMs: parsed.ROUTER_CONNECT_TIMEOUT_MS,
    restartBackoff: {
      initialMs: parsed.ROUTER_RESTART_BACKOFF_MS,
      maxMs: parsed.ROUTER_RESTART_BACKOFF_MAX_MS,
    },
    heartbeatIntervalMs: parsed.ROUTER_HEARTBEAT_INTERVAL_MS,
    credentialCipher: loadMasterKeyCipher(env),
  };
}

export const ROUTER_CONFIG = Symbol('ROUTER_CONFIG');
