import { readFileSync } from 'node:fs';
import { ConfigError, envFields, loadEnvConfig, parseConfig } from '@gateway/platform';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

const serverSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_.-]{1,128}$/, 'expected an id of letters, digits, "_", "." or "-"'),
    name: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected 1-64 characters of letters, digits, "_" or "-"')
      .optional(),
    description: z.string().optional(),
    enabled: z.boolean().default(true),
    transport: z.enum(['stdio', 'streamable-http', 'sse', 'websocket'], {
      error: 'expected one of stdio, streamable-http, sse, websocket',
    }),
    stdio: z
      .object({
        command: z.string().min(1, 'expected the program to run'),
        args: z.array(z.string()).default([]),
        env: z.record(z.string(), z.string()).default({}),
        cwd: z.string().optional(),
      })
      .strict()
      .optional(),
    http: z
      .object({
        url: z.url('expected an http(s) or ws(s) URL'),
        headers: z.record(z.string(), z.string()).default({}),
      })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((server, context) => {
    if (server.transport === 'stdio' && !server.stdio) {
      context.addIssue({ code: 'custom', path: ['stdio'], message: 'required when transport is stdio' });
    }
    if (server.transport !== 'stdio' && !server.http) {
      context.addIssue({
        code: 'custom',
        path: ['http'],
        message: `required when transport is ${server.transport}`,
      });
    }
  });

export const gatewayConfigFileSchema = z
  .object({ servers: z.array(serverSchema).default([]) })
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
  });

export type DeclaredServer = z.infer<typeof serverSchema>;

const registryEnvSchema = z.object({
  REGISTRY_CONFIG_FILE: z.string().min(1).default('apps/gateway/config/gateway.yaml'),
  REGISTRY_GRPC_ADDRESS: envFields.grpcAddress('127.0.0.1:50052'),
});

export interface RegistryConfig {
  readonly configFile: string;
  readonly servers: readonly DeclaredServer[];
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

export function parseGatewayConfigFile(text: string, file: string, env: NodeJS.ProcessEnv): DeclaredServer[] {
  let document: unknown;
  try {
    document = parseYaml(text) ?? {};
  } catch (error) {
    throw new ConfigError(file, [
      `not valid YAML: ${error instanceof Error ? error.message : String(error)}`,
    ]);
  }
  return parseConfig(gatewayConfigFileSchema, interpolateValues(document, env, file), file).servers;
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
  return {
    configFile: parsed.REGISTRY_CONFIG_FILE,
    servers: parseGatewayConfigFile(text, parsed.REGISTRY_CONFIG_FILE, env),
    grpcAddress: parsed.REGISTRY_GRPC_ADDRESS,
  };
}
