import { readFileSync } from 'node:fs';
import { ConfigError, envFields, loadEnvConfig, parseConfig } from '@gateway/platform';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { type DeclaredServer, declaredServerSchema } from './catalog/declared-server.schema';
import {
  type DeclaredVirtualServer,
  declaredVirtualServerSchema,
  unknownServerReferences,
} from './virtual-servers/virtual-server-input.schema';

export type { DeclaredServer } from './catalog/declared-server.schema';
export type { DeclaredVirtualServer } from './virtual-servers/virtual-server-input.schema';

/** Where a virtual server names a server the file does not declare, and what it may have meant. */
function checkServerReferences(
  virtualServer: DeclaredVirtualServer,
  index: number,
  servers: readonly DeclaredServer[],
  context: z.RefinementCtx,
): void {
  const names = new Set(servers.map((server) => server.name ?? server.id));
  for (const { path, server } of unknownServerReferences(virtualServer, (name) => names.has(name))) {
    const byId = servers.find((declared) => declared.id === server);
    const hint = byId ? ` (the server with id "${server}" is named "${byId.name}")` : '';
    context.addIssue({
      code: 'custom',
      path: ['virtualServers', index, ...path],
      message: `no server named "${server}" in servers${hint}`,
    });
  }
}

export const gatewayConfigFileSchema = z
  .object({
    servers: z.array(declaredServerSchema).default([]),
    virtualServers: z.array(declaredVirtualServerSchema).default([]),
  })
  .strict()
  .superRefine((file, context) => {
    const seen = new Set<string>();
    file.servers.forEach((server, index) => {
      const name = server.name ?? server.id;
      if (seen.has(name)) {
        context.addIssue({
          code: 'custom',
          path: ['servers', index, 'name'],
          message: `duplicate server name "${name}"`,
        });
      }
      seen.add(name);
    });
    const virtualNames = new Set<string>();
    file.virtualServers.forEach((virtualServer, index) => {
      if (virtualNames.has(virtualServer.name)) {
        context.addIssue({
          code: 'custom',
          path: ['virtualServers', index, 'name'],
          message: `duplicate virtual server name "${virtualServer.name}"`,
        });
      }
      virtualNames.add(virtualServer.name);
      checkServerReferences(virtualServer, index, file.servers, context);
    });
  });

export type GatewayConfigFile = z.infer<typeof gatewayConfigFileSchema>;

const registryEnvSchema = z.object({
  REGISTRY_CONFIG_FILE: z.string().min(1).default('apps/gateway/config/gateway.yaml'),
  REGISTRY_GRPC_ADDRESS: envFields.grpcAddress('127.0.0.1:50052'),
});

export interface RegistryConfig {
  readonly configFile: string;
  readonly servers: readonly DeclaredServer[];
  readonly virtualServers: readonly DeclaredVirtualServer[];
  readonly grpcAddress: string;
}

/** ${NAME} and ${NAME:-fallback} in a config value are taken from the environment. */
export function interpolateEnv(text: string, env: NodeJS.ProcessEnv, file: string): string {
  return text.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g,
    (_match, name: string, fallback?: string) => {
      const value = env[name] ?? fallback;
      if (value === undefined) {
        throw new ConfigError(file, [
          `\${${name}}: environment variable ${name} is not set and has no default`,
        ]);
      }
      return value;
    },
  );
}

/** Interpolates every string value of a parsed document (never keys or comments). */
function interpolateValues(value: unknown, env: NodeJS.ProcessEnv, file: string): unknown {
  if (typeof value === 'string') return interpolateEnv(value, env, file);
  if (Array.isArray(value)) return value.map((item) => interpolateValues(item, env, file));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, interpolateValues(item, env, file)]),
    );
  }
  return value;
}

export function parseGatewayConfigFile(
  text: string,
  file: string,
  env: NodeJS.ProcessEnv,
): GatewayConfigFile {
  let document: unknown;
  try {
    document = parseYaml(text) ?? {};
  } catch (error) {
    throw new ConfigError(file, [
      `not valid YAML: ${error instanceof Error ? error.message : String(error)}`,
    ]);
  }
  return parseConfig(gatewayConfigFileSchema, interpolateValues(document, env, file), file);
}

export function loadRegistryConfig(env: NodeJS.ProcessEnv = process.env): RegistryConfig {
  const parsed = loadEnvConfig(registryEnvSchema, env);
  let text: string;
  try {
    text = readFileSync(parsed.REGISTRY_CONFIG_FILE, 'utf8');
  } catch (error) {
    throw new ConfigError('environment variables', [
      `REGISTRY_CONFIG_FILE: cannot read ${parsed.REGISTRY_CONFIG_FILE} (${(error as Error).message})`,
    ]);
  }
  const { servers, virtualServers } = parseGatewayConfigFile(text, parsed.REGISTRY_CONFIG_FILE, env);
  return {
    configFile: parsed.REGISTRY_CONFIG_FILE,
    servers,
    virtualServers,
    grpcAddress: parsed.REGISTRY_GRPC_ADDRESS,
  };
}
