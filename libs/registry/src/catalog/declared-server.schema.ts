import { z } from 'zod';
import { declaredCredentialSchema } from '../credentials/declared-credential.schema';
import { credentialProblems } from '../credentials/server-credential-input.schema';

/** `${VAR}` interpolation yields text, so a whole number may arrive as "5000". */
const milliseconds = z.preprocess(
  (value) => (typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value),
  z
    .number({ error: 'expected a whole number of milliseconds' })
    .int('expected a whole number of milliseconds')
    .positive('expected a number of milliseconds above 0'),
);

const endpointUrl = z.url('expected an http(s) or ws(s) URL');

const httpSchema = z
  .object({
    url: endpointUrl,
    headers: z.record(z.string(), z.string()).default({}),
    replicas: z.array(endpointUrl).min(1, 'expected at least one URL, or no replicas key').optional(),
    bearerToken: z
      .string()
      .min(1, 'expected a token')
      .refine((token) => !/^bearer\s/i.test(token), 'expected the token alone, without "Bearer "')
      .optional(),
  })
  .strict()
  .superRefine((http, context) => {
    const hasAuthorization = Object.keys(http.headers).some((name) => name.toLowerCase() === 'authorization');
    if (http.bearerToken !== undefined && hasAuthorization) {
      context.addIssue({
        code: 'custom',
        path: ['bearerToken'],
        message: 'set either bearerToken or an Authorization header, not both',
      });
    }
    const seen = new Set([http.url]);
    http.replicas?.forEach((replica, index) => {
      if (seen.has(replica)) {
        context.addIssue({
          code: 'custom',
          path: ['replicas', index],
          message: `${replica} is listed twice`,
        });
      }
      seen.add(replica);
    });
  })
  // A convenience of the file only: the catalog and the data plane see an ordinary header.
  .transform(({ bearerToken, ...http }) =>
    bearerToken === undefined
      ? http
      : { ...http, headers: { ...http.headers, Authorization: `Bearer ${bearerToken}` } },
  );

const healthCheckSchema = z
  .object({ intervalMs: milliseconds, timeoutMs: milliseconds })
  .strict()
  .superRefine((check, context) => {
    if (check.timeoutMs > check.intervalMs) {
      context.addIssue({
        code: 'custom',
        path: ['timeoutMs'],
        message: `expected at most intervalMs (${check.intervalMs}): a probe ends before the next starts`,
      });
    }
  });

/** One entry of `servers:` in the gateway config file. */
export const declaredServerSchema = z
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
    http: httpSchema.optional(),
    sessions: z.enum(['per-client', 'shared'], { error: 'expected per-client or shared' }).optional(),
    failMode: z.enum(['open', 'closed'], { error: 'expected open or closed' }).optional(),
    timeouts: z
      .object({ callMs: milliseconds.optional(), listMs: milliseconds.optional() })
      .strict()
      .optional(),
    healthCheck: healthCheckSchema.optional(),
    credentials: declaredCredentialSchema.optional(),
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
    if (server.credentials) {
      for (const problem of credentialProblems(server, server.credentials)) {
        context.addIssue({
          code: 'custom',
          path: ['credentials', ...problem.path],
          message: problem.message,
        });
      }
    }
  });

export type DeclaredServer = z.infer<typeof declaredServerSchema>;
