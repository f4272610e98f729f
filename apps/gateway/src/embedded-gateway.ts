import { type DynamicModule, Module, type OnApplicationShutdown } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { AuditModule } from '@gateway/audit';
import { AuthModule, authGrpcPackages, loadAuthConfig, loadAuthMasterKeyCipher } from '@gateway/auth';
import { IngressModule, loadIngressConfig, mcpEndpointPaths } from '@gateway/ingress';
import {
  createLogger,
  envFields,
  loadEnvConfig,
  PlatformModule,
  type ServiceProcess,
  startEmbeddedPostgres,
} from '@gateway/platform';
import { loadPolicyConfig, PolicyModule, policyGrpcPackages } from '@gateway/policy';
import { loadRegistryConfig, RegistryModule, registryGrpcPackages } from '@gateway/registry';
import { loadRouterConfig, RouterModule, routerGrpcPackages } from '@gateway/router';
import { loadSecurityConfig, SecurityModule } from '@gateway/security';
import { TelemetryModule } from '@gateway/telemetry';

const embeddedEnvSchema = z.object({
  GATEWAY_HOST: envFields.host('127.0.0.1'),
  GATEWAY_PORT: envFields.port(8080),
  GATEWAY_DATA_DIR: z.string().min(1).default('.data/embedded'),
});

/** Stops the embedded database once the services using it have shut down. */
function embeddedDatabaseLifecycle(stop: () => Promise<void>): DynamicModule {
  @Module({})
  class EmbeddedDatabaseModule implements OnApplicationShutdown {
    async onApplicationShutdown(): Promise<void> {
      await stop();
    }
  }
  return { module: EmbeddedDatabaseModule };
}

/**
 * The key that seals session ids, kept in the data directory so sessions outlive a restart of
 * the embedded gateway. Created on first start, readable by its owner only.
 */
function persistentSessionKey(dataDir: string): string {
  const file = join(dataDir, 'session.key');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
  return readFileSync(file, 'utf8').trim();
}

/**
 * The master key that seals stored secrets (the token signing keys), kept in the data directory
 * unless GATEWAY_MASTER_KEY or GATEWAY_MASTER_KEY_FILE names one. Created on first start,
 * readable by its owner only; losing it makes the sealed secrets unreadable.
 */
function persistentMasterKeyFile(dataDir: string): string {
  const file = join(dataDir, 'master.key');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
  return file;
}

/**
 * The embedded default: all seven services in one process, PGlite in a local data directory,
 * the in-process event bus, and gRPC between the services over a unix socket in the data dir.
 */
export async function embeddedGateway(env: NodeJS.ProcessEnv = process.env): Promise<ServiceProcess> {
  const settings = loadEnvConfig(embeddedEnvSchema, env);
  const dataDir = resolve(settings.GATEWAY_DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  const grpcSocket = join(dataDir, 'grpc.sock');
  rmSync(grpcSocket, { force: true });
  const grpcAddress = `unix:${grpcSocket}`;
  const serviceEnv = {
    ...env,
    INGRESS_SESSION_KEY: env['INGRESS_SESSION_KEY'] || persistentSessionKey(dataDir),
    INGRESS_HOST: settings.GATEWAY_HOST,
    INGRESS_PORT: String(settings.GATEWAY_PORT),
    ROUTER_GRPC_ADDRESS: grpcAddress,
    REGISTRY_GRPC_ADDRESS: grpcAddress,
    AUTH_GRPC_ADDRESS: grpcAddress,
    // One process serves the token endpoint and the MCP endpoint: the issuer is the gateway itself.
    AUTH_ISSUER: env['AUTH_ISSUER'] || `http://${settings.GATEWAY_HOST}:${settings.GATEWAY_PORT}`,
    ...(!env['GATEWAY_MASTER_KEY'] &&
      !env['GATEWAY_MASTER_KEY_FILE'] && { GATEWAY_MASTER_KEY_FILE: persistentMasterKeyFile(dataDir) }),
  };
  const ingress = loadIngressConfig(serviceEnv);
  const router = loadRouterConfig(serviceEnv);
  const registry = loadRegistryConfig(serviceEnv);
  const policy = loadPolicyConfig(serviceEnv);
  const auth = loadAuthConfig(serviceEnv);
  const masterKeyCipher = loadAuthMasterKeyCipher(serviceEnv);
  const security = loadSecurityConfig(serviceEnv);
  const database = await startEmbeddedPostgres({
    dataDir: join(dataDir, 'pglite'),
    logger: createLogger('embedded-postgres'),
  });
  return {
    name: 'gateway',
    modules: [
      embeddedDatabaseLifecycle(database.stop),
      PlatformModule.forRoot({
        processName: 'gateway',
        bus: { kind: 'in-process' },
        databaseUrl: database.url,
      }),
      SecurityModule.forRoot(security, { policyBundles: true }),
      RegistryModule.forRoot(registry),
      RouterModule.forRoot(router),
      IngressModule.forRoot(ingress),
      AuthModule.forRoot(auth, masterKeyCipher),
      PolicyModule.forRoot(policy),
      AuditModule,
      TelemetryModule,
    ],
    http: { host: settings.GATEWAY_HOST, port: settings.GATEWAY_PORT, rawBodyPaths: mcpEndpointPaths },
    grpc: {
      address: grpcAddress,
      packages: [...routerGrpcPackages, ...registryGrpcPackages, ...authGrpcPackages, ...policyGrpcPackages],
    },
  };
}
