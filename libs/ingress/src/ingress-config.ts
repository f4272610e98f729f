import { randomBytes, randomUUID } from 'node:crypto';
import { envFields, loadEnvConfig } from '@gateway/platform';
import { loadRateLimitConfig, type RateLimitConfig } from '@gateway/security';
import { z } from 'zod';

const commaList = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean),
);

const grpcAddressPattern = /^(unix:.+|[^\s:,]+:\d{1,5})$/;

const ingressEnvSchema = z.object({
  INGRESS_HOST: envFields.host('127.0.0.1'),
  INGRESS_PORT: envFields.port(8080),
  ROUTER_GRPC_ADDRESS: commaList
    .default(['127.0.0.1:50051'])
    .refine(
      (addresses) => addresses.length > 0 && addresses.every((address) => grpcAddressPattern.test(address)),
      'expected host:port (or unix:/path), comma-separated for several router replicas',
    ),
  INGRESS_INSTANCE_ID: z
    .string()
    .min(1)
    .default(() => `ingress-${randomUUID().slice(0, 8)}`),
  INGRESS_MAX_BODY_BYTES: z.coerce
    .number({ error: 'expected a size in bytes' })
    .int('expected a whole number of bytes')
    .positive('expected a positive number of bytes')
    .default(4 * 1024 * 1024),
  INGRESS_HEARTBEAT_INTERVAL_MS: envFields.milliseconds(5_000),
  INGRESS_SESSION_KEY: z
    .string()
    .optional()
    .transform((value, context) => {
      if (value === undefined || value === '') return undefined;
      const key = /^[0-9a-fA-F]{64}$/.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
      if (key.length !== 32) {
        context.addIssue({ code: 'custom', message: 'expected 32 bytes as 64 hex digits or base64' });
        return z.NEVER;
      }
      return key;
    }),
  INGRESS_SESSION_IDLE_MS: envFields.milliseconds(30 * 60_000),
  INGRESS_SESSION_MAX_AGE_MS: envFields.milliseconds(24 * 60 * 60_000),
  INGRESS_ALLOWED_ORIGINS: commaList.optional(),
  INGRESS_ALLOWED_HOSTS: commaList.optional(),
  INGRESS_PUBLIC_URL: z
    .url({ error: 'expected the URL agents reach this gateway at, e.g. https://mcp.example.com' })
    .optional(),
});

export interface IngressConfig {
  readonly host: string;
  readonly port: number;
  /** Every router replica; a session goes to one of them by rendezvous hashing. */
  readonly routerGrpcAddresses: readonly string[];
  readonly instanceId: string;
  readonly maxBodyBytes: number;
  /** How often this replica reports its session count on mcp.gateway.instances.v1. */
  readonly heartbeatIntervalMs: number;
  /** AES-256-GCM key sealing session ids and request state; the same on every replica. */
  readonly sessionKey: Buffer;
  /** Whether the key was generated at start (sessions then die with the process). */
  readonly sessionKeyGenerated: boolean;
  /** A session without requests for this long ends. */
  readonly sessionIdleMs: number;
  /** No session outlives this, active or not. */
  readonly sessionMaxAgeMs: number;
  /** Browser origins allowed to call; undefined = loopback origins only. */
  readonly allowedOrigins?: readonly string[];
  /** Host header values accepted; undefined = loopback names when bound to loopback, else any. */
  readonly allowedHosts?: readonly string[];
  /**
   * The base URL agents reach the gateway at: resource identifiers (RFC 8707 audiences) and
   * the protected resource metadata URLs (RFC 9728) are built from it.
   */
  readonly publicUrl: string;
  /** Where the rate-limit buckets live: this process, or Redis shared by every replica. */
  readonly rateLimits: RateLimitConfig;
}

export function loadIngressConfig(env: NodeJS.ProcessEnv = process.env): IngressConfig {
  const parsed = loadEnvConfig(ingressEnvSchema, env);
  return {
    host: parsed.INGRESS_HOST,
    port: parsed.INGRESS_PORT,
    routerGrpcAddresses: parsed.ROUTER_GRPC_ADDRESS,
    instanceId: parsed.INGRESS_INSTANCE_ID,
    maxBodyBytes: parsed.INGRESS_MAX_BODY_BYTES,
    heartbeatIntervalMs: parsed.INGRESS_HEARTBEAT_INTERVAL_MS,
    sessionKey: parsed.INGRESS_SESSION_KEY ?? randomBytes(32),
    sessionKeyGenerated: parsed.INGRESS_SESSION_KEY === undefined,
    sessionIdleMs: parsed.INGRESS_SESSION_IDLE_MS,
    sessionMaxAgeMs: parsed.INGRESS_SESSION_MAX_AGE_MS,
    allowedOrigins: parsed.INGRESS_ALLOWED_ORIGINS,
    allowedHosts: parsed.INGRESS_ALLOWED_HOSTS,
    rateLimits: loadRateLimitConfig(env),
    publicUrl: (parsed.INGRESS_PUBLIC_URL ?? `http://${parsed.INGRESS_HOST}:${parsed.INGRESS_PORT}`).replace(
      /\/$/,
      '',
    ),
  };
}

export const INGRESS_CONFIG = Symbol('INGRESS_CONFIG');
