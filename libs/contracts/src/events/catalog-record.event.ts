import { z } from 'zod';
import { defineEvent } from './event-definition';
import { Topics } from './topics';

export const upstreamTransport = z.enum(['stdio', 'streamable-http', 'sse', 'websocket']);

/** How the gateway authenticates to an upstream server (agents never send their own credential there). */
export const serverCredentialKind = z.enum([
  'api-key',
  'bearer',
  'oauth-client-credentials',
  'token-exchange',
  'env',
]);

export type ServerCredentialKind = z.infer<typeof serverCredentialKind>;

const tokenEndpoint = {
  tokenUrl: z.url().describe('OAuth 2.0 token endpoint'),
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  scope: z.string().min(1).optional(),
  audience: z.string().min(1).optional(),
  resource: z.url().optional().describe('RFC 8707 resource indicator'),
};

/**
 * A server credential in the clear: what `credentials.sealed` of a catalog record opens to, as
 * JSON. It never travels or rests in this form; only the registry (sealing) and the router
 * (opening) see it.
 */
export const ServerCredentialSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('api-key'),
      header: z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/),
      value: z.string().min(1),
    })
    .describe('A static key sent in the named header'),
  z.object({ kind: z.literal('bearer'), token: z.string().min(1) }).describe('Authorization: Bearer <token>'),
  z
    .object({ kind: z.literal('oauth-client-credentials'), ...tokenEndpoint })
    .describe(
      "The gateway's own token from a client credentials grant, cached until shortly before it expires",
    ),
  z
    .object({ kind: z.literal('token-exchange'), ...tokenEndpoint })
    .describe("A token for the calling agent's identity, exchanged for its own (RFC 8693)"),
  z
    .object({
      kind: z.literal('env'),
      variables: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string()),
    })
    .describe("Environment variables of a stdio server's process"),
]);

export type ServerCredential = z.infer<typeof ServerCredentialSchema>;

export const ServerDefinitionSchema = z.object({
  id: z.string().min(1),
  name: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .describe('Shown to agents; a tool-name prefix where several servers are exposed'),
  description: z.string().optional(),
  transport: upstreamTransport,
  stdio: z
    .object({
      command: z.string().min(1),
      args: z.array(z.string()),
      env: z.record(z.string(), z.string()),
      cwd: z.string().optional(),
    })
    .optional(),
  http: z
    .object({
      url: z.url(),
      headers: z.record(z.string(), z.string()),
      replicas: z
        .array(z.url())
        .optional()
        .describe(
          'Further URLs of the same logical server; calls are balanced, sessions stay on their replica',
        ),
    })
    .optional(),
  sessions: z
    .enum(['per-client', 'shared'])
    .optional()
    .describe(
      'per-client: one upstream session per downstream session (default for HTTP); shared: one for all (default for stdio)',
    ),
  failMode: z
    .enum(['open', 'closed'])
    .optional()
    .describe('open (default): a failing server is left out of aggregated lists; closed: the list fails'),
  timeouts: z
    .object({
      callMs: z.number().int().positive().optional(),
      listMs: z.number().int().positive().optional(),
    })
    .optional(),
  healthCheck: z
    .object({ intervalMs: z.number().int().positive(), timeoutMs: z.number().int().positive() })
    .optional()
    .describe('Active ping; a server failing it leaves rotation until it answers again'),
  credentials: z
    .object({
      kind: serverCredentialKind,
      sealed: z
        .string()
        .min(1)
        .describe(
          'The credential as JSON, sealed with the gateway master key (AES-256-GCM envelope bound to the ' +
            'context "server-credential:<server id>"); never the plaintext. Services that need it open it ' +
            'with GATEWAY_MASTER_KEY',
        ),
    })
    .optional()
    .describe('How the gateway authenticates to this server, when it must'),
  enabled: z.boolean(),
  revision: z.number().int().nonnegative(),
});

export type ServerDefinitionValue = z.infer<typeof ServerDefinitionSchema>;

/** The record's value is the server's current definition; a null value (tombstone) removes it. */
export const CatalogRecordSchema = z
  .object({
    server: ServerDefinitionSchema,
    changedAt: z.iso.datetime(),
  })
  .describe('Latest definition of one MCP server (compacted; a tombstone removes it)');

export const CatalogRecord = defineEvent({
  topic: Topics.catalog,
  version: 1,
  schema: CatalogRecordSchema,
  key: (record) => record.server.id,
  description: 'Latest definition of one MCP server, keyed by server id; a tombstone removes it.',
  example: {
    server: {
      id: 'everything',
      name: 'everything',
      transport: 'stdio',
      stdio: { command: 'node', args: ['server-everything/dist/index.js', 'stdio'], env: {} },
      enabled: true,
      revision: 1,
    },
    changedAt: '2026-11-21T10:00:00.000Z',
  },
});

export type CatalogRecordValue = z.infer<typeof CatalogRecordSchema>;
