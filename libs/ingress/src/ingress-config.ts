import { randomUUID } from 'node:crypto';
import { envFields, loadEnvConfig } from '@gateway/platform';
import { z } from 'zod';

const ingressEnvSchema = z.object({
  INGRESS_HOST: envFields.host('127.0.0.1'),
  INGRESS_PORT: envFields.port(8080),
  ROUTER_GRPC_ADDRESS: envFields.grpcAddress('127.0.0.1:50051'),
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
});

export interface IngressConfig {
  readonly host: string;
  readonly port: number;
  readonly routerGrpcAddress: string;
  readonly instanceId: string;
  readonly maxBodyBytes: number;
  /** How often this replica reports its session count on mcp.gateway.instances.v1. */
  readonly heartbeatIntervalMs: number;
}

export function loadIngressConfig(env: NodeJS.ProcessEnv = process.env): IngressConfig {
  const parsed = loadEnvConfig(ingressEnvSchema, env);
  return {
    host: parsed.INGRESS_HOST,
    port: parsed.INGRESS_PORT,
    routerGrpcAddress: parsed.ROUTER_GRPC_ADDRESS,
    instanceId: parsed.INGRESS_INSTANCE_ID,
    maxBodyBytes: parsed.INGRESS_MAX_BODY_BYTES,
    heartbeatIntervalMs: parsed.INGRESS_HEARTBEAT_INTERVAL_MS,
  };
}

export const INGRESS_CONFIG = Symbol('INGRESS_CONFIG');
