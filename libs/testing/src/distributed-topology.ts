import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { freePort } from './free-port';
import { testAdminKey, testCredentialEnv } from './gateway-credentials';
import { ServiceProcess } from './service-process';

export const services = ['registry', 'auth', 'policy', 'audit', 'telemetry', 'router', 'ingress'] as const;
export type ServiceName = (typeof services)[number];

export interface DistributedTopology {
  readonly processes: Map<ServiceName, ServiceProcess>;
  readonly httpUrl: Record<ServiceName, string>;
  readonly mcpUrl: string;
  /** The key ingress seals session ids with (the same for every ingress process). */
  readonly sessionKey: Buffer;
  /** The admin API key auth created on first start (also good for MCP requests: every scope). */
  readonly adminKey: string;
  /** Starts one service (again) with the topology's settings, plus `env` where given. */
  start(service: ServiceName, env?: NodeJS.ProcessEnv): ServiceProcess;
  stop(): Promise<void>;
}

/** Each service as its own process on free loopback ports, against the real Kafka and Postgres. */
export async function startDistributedTopology(options: {
  readonly logDir: string;
  /** Where every service exports its traces (OTLP over HTTP, JSON); none when absent. */
  readonly otlpEndpoint?: string;
  readonly extraEnv?: NodeJS.ProcessEnv;
  /** Node.js options per service, e.g. --cpu-prof for a profile. */
  readonly nodeArgs?: (service: ServiceName) => readonly string[];
}): Promise<DistributedTopology> {
  const httpPorts = Object.fromEntries(
    await Promise.all(services.map(async (name) => [name, await freePort()])),
  ) as Record<ServiceName, number>;
  const grpc = {
    ROUTER_GRPC_ADDRESS: `127.0.0.1:${await freePort()}`,
    REGISTRY_GRPC_ADDRESS: `127.0.0.1:${await freePort()}`,
    AUTH_GRPC_ADDRESS: `127.0.0.1:${await freePort()}`,
    POLICY_GRPC_ADDRESS: `127.0.0.1:${await freePort()}`,
  };
  const sessionKey = randomBytes(32);
  const env: NodeJS.ProcessEnv = {
    GATEWAY_BUS: 'kafka',
    INGRESS_SESSION_KEY: sessionKey.toString('hex'),
    KAFKA_BROKERS: process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092',
    DATABASE_URL: process.env['DATABASE_URL'] ?? 'postgres://gateway:gateway@127.0.0.1:55432/gateway',
    ...(options.otlpEndpoint !== undefined && {
      OTEL_EXPORTER_OTLP_ENDPOINT: options.otlpEndpoint,
      // The test receiver reads OTLP as JSON.
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '200',
    }),
    ...testCredentialEnv,
    // Tokens are issued by the auth process; every verifier trusts its issuer name.
    AUTH_ISSUER: `http://127.0.0.1:${httpPorts.auth}`,
    INGRESS_PORT: String(httpPorts.ingress),
    ...Object.fromEntries(
      services
        .filter((name) => name !== 'ingress')
        .map((name) => [`${name.toUpperCase()}_HTTP_PORT`, String(httpPorts[name])]),
    ),
    ...grpc,
    ...options.extraEnv,
  };
  const processes = new Map<ServiceName, ServiceProcess>();
  const start = (service: ServiceName, overrides: NodeJS.ProcessEnv = {}): ServiceProcess => {
    const process = new ServiceProcess({
      app: service,
      logDir: join(options.logDir, service),
      env: { ...env, ...overrides },
      nodeArgs: options.nodeArgs?.(service),
    });
    processes.set(service, process);
    return process;
  };
  services.forEach((service) => start(service));
  const httpUrl = Object.fromEntries(
    services.map((name) => [name, `http://127.0.0.1:${httpPorts[name]}`]),
  ) as Record<ServiceName, string>;
  return {
    processes,
    httpUrl,
    mcpUrl: `${httpUrl.ingress}/mcp`,
    sessionKey,
    adminKey: testAdminKey,
    start,
    stop: async () => {
      await Promise.all([...processes.values()].map((process) => process.stop()));
    },
  };
}
