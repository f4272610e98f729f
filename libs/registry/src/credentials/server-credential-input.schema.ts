import { z } from 'zod';
import type { ServerCredentialKind } from '@gateway/contracts';

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** RFC 6749 §3.2: the client secret only travels over TLS (loopback aside, for local token services). */
const tokenUrl = z.url('expected the URL of an OAuth 2.0 token endpoint').refine((text) => {
  const url = new URL(text);
  return url.protocol === 'https:' || (url.protocol === 'http:' && loopbackHosts.has(url.hostname));
}, 'expected an https URL (http only on loopback): the client secret travels to it');

/** Headers the MCP transports set themselves; a credential must not replace them. */
const transportHeaders = new Set([
  'accept',
  'connection',
  'content-length',
  'content-type',
  'host',
  'last-event-id',
  'mcp-protocol-version',
  'mcp-session-id',
  'transfer-encoding',
  'upgrade',
]);

const headerName = z
  .string()
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'expected an HTTP header name')
  .refine(
    (name) => !transportHeaders.has(name.toLowerCase()) && !name.toLowerCase().startsWith('sec-websocket-'),
    'expected a header the MCP transport does not set itself',
  );

export const environmentVariableName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name (letters, digits, "_")');

const optionalText = z.string().min(1, 'expected a value, or no key').optional();

/**
 * The credential kinds with their fields, every secret field of the form `secret` gives: plain
 * text in an admin API body, a `{ valueFromEnv }` reference in the config file.
 */
export function credentialInputSchema<Secret extends z.ZodType>(secret: Secret) {
  const tokenEndpoint = {
    tokenUrl,
    clientId: z.string().min(1, 'expected the client id'),
    clientSecret: secret,
    scope: optionalText,
    audience: optionalText,
    resource: z.url('expected an absolute URI (RFC 8707 resource indicator)').optional(),
  };
  return z.discriminatedUnion(
    'kind',
    [
      z.object({ kind: z.literal('api-key'), header: headerName, value: secret }).strict(),
      z.object({ kind: z.literal('bearer'), token: secret }).strict(),
      z.object({ kind: z.literal('oauth-client-credentials'), ...tokenEndpoint }).strict(),
      z.object({ kind: z.literal('token-exchange'), ...tokenEndpoint }).strict(),
      z
        .object({
          kind: z.literal('env'),
          variables: z
            .record(environmentVariableName, secret)
            .refine((variables) => Object.keys(variables).length > 0, 'expected at least one variable'),
        })
        .strict(),
    ],
    {
      error: 'expected kind api-key, bearer, oauth-client-credentials, token-exchange or env',
    },
  );
}

/** The token alone: "Bearer " is added when it is sent. */
const secretText = z
  .string({ error: 'expected the secret as text' })
  .min(1, 'expected the secret as text')
  .refine((value) => !/^bearer\s/i.test(value), 'expected the token alone, without "Bearer "');

/** A PUT body of the admin API: the secrets themselves. */
export const credentialBodySchema = credentialInputSchema(secretText);

/** What a server's transport and session mode need of the credential it is given. */
export interface CredentialTarget {
  readonly transport: 'stdio' | 'streamable-http' | 'sse' | 'websocket';
  readonly sessions?: 'per-client' | 'shared';
  readonly http?: { readonly headers: Readonly<Record<string, string>> };
}

export interface CredentialProblem {
  readonly path: ReadonlyArray<string | number>;
  readonly message: string;
}

/** The header a credential sets on every request, lower-cased; undefined for env. */
export function credentialHeader(credential: {
  kind: ServerCredentialKind;
  header?: string;
}): string | undefined {
  switch (credential.kind) {
    case 'api-key':
      return credential.header?.toLowerCase();
    case 'bearer':
    case 'oauth-client-credentials':
    case 'token-exchange':
      return 'authorization';
    case 'env':
      return undefined;
  }
}

/**
 * Whether a credential fits its server: stdio servers take environment variables only, HTTP ones
 * headers only; a token exchanged for one caller needs an upstream session of that caller alone.
 */
export function credentialProblems(
  target: CredentialTarget,
  credential: { kind: ServerCredentialKind; header?: string },
): CredentialProblem[] {
  if (target.transport === 'stdio') {
    return credential.kind === 'env'
      ? []
      : [
          {
            path: ['kind'],
            message: 'a stdio server takes its credentials as environment variables: kind env',
          },
        ];
  }
  if (credential.kind === 'env') {
    return [{ path: ['kind'], message: `kind env is for stdio servers, not ${target.transport}` }];
  }
  const problems: CredentialProblem[] = [];
  if (credential.kind === 'token-exchange' && target.sessions === 'shared') {
    problems.push({
      path: ['kind'],
      message: 'token-exchange needs sessions: per-client (an upstream session belongs to one caller)',
    });
  }
  const header = credentialHeader(credential);
  const configured = Object.keys(target.http?.headers ?? {}).find((name) => name.toLowerCase() === header);
  if (configured) {
    problems.push({
      path: credential.kind === 'api-key' ? ['header'] : ['kind'],
      message: `the server's http.headers already set ${configured}; remove one of the two`,
    });
  }
  return problems;
}
