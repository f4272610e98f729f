import { randomUUID } from 'node:crypto';
import { envFields, loadEnvConfig } from '@gateway/platform';
import { z } from 'zod';

/** An external OpenID Connect provider whose tokens the gateway accepts, and how its claims map. */
const OidcProviderSchema = z.object({
  issuer: z.url(),
  /** Audiences its tokens must carry besides the resource check; absent = the resource check alone. */
  audiences: z.array(z.string().min(1)).optional(),
  tenant: z.string().min(1).default('default'),
  /** Claim holding the subject's groups or roles (a list or a space-separated string). */
  groupsClaim: z.string().min(1).default('groups'),
  /** Group or role claim value → gateway roles. */
  roleMapping: z.record(z.string(), z.array(z.string().min(1))).default({}),
  /** Groups become teams of the same name when true. */
  groupsAsTeams: z.boolean().default(true),
  defaultRoles: z.array(z.string().min(1)).default([]),
  /** Claim holding scopes (space-separated string or list); tokens without it get defaultScopes. */
  scopesClaim: z.string().min(1).default('scope'),
  defaultScopes: z.array(z.string().min(1)).default([]),
  /** Claim that names the user; the principal id is `user:<value>`. */
  subjectClaim: z.string().min(1).default('sub'),
  kind: z.enum(['user', 'agent', 'service-account']).default('user'),
});

export type OidcProviderConfig = z.infer<typeof OidcProviderSchema>;

const securityEnvSchema = z.object({
  AUTH_ISSUER: z
    .url({ error: 'expected the URL of the built-in token issuer' })
    .default('http://127.0.0.1:8083'),
  AUTH_GRPC_ADDRESS: envFields.grpcAddress('127.0.0.1:50053'),
  AUTH_OIDC_PROVIDERS: z
    .string()
    .optional()
    .transform((text, context) => {
      if (!text) return [];
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        context.addIssue({ code: 'custom', message: 'expected a JSON array of providers' });
        return z.NEVER;
      }
      const parsed = z.array(OidcProviderSchema).safeParse(value);
      if (!parsed.success) {
        context.addIssue({ code: 'custom', message: z.prettifyError(parsed.error) });
        return z.NEVER;
      }
      return parsed.data;
    }),
  SECURITY_ADMIN_AUDIENCE: z.string().min(1).default('urn:mcp-gateway:admin'),
  AUTH_API_KEY_CACHE_MS: envFields.milliseconds(30_000),
  SECURITY_INSTANCE_ID: z
    .string()
    .min(1)
    .default(() => `security-${randomUUID().slice(0, 8)}`),
});

export interface SecurityConfig {
  /** iss of the tokens the auth service issues; their keys arrive on mcp.auth.signing-keys.v1. */
  readonly issuer: string;
  /** Where API keys are verified (on a cache miss only). */
  readonly authGrpcAddress: string;
  readonly oidcProviders: readonly OidcProviderConfig[];
  /** The audience an admin token must carry (API keys are not audience-bound). */
  readonly adminAudience: string;
  /** How long a verified API key is trusted before auth is asked again (revocations evict at once). */
  readonly apiKeyCacheMs: number;
  /** Names this process's consumer groups for the key and revocation topics (every replica reads all). */
  readonly instanceId: string;
}

export function loadSecurityConfig(env: NodeJS.ProcessEnv = process.env): SecurityConfig {
  const parsed = loadEnvConfig(securityEnvSchema, env);
  return {
    issuer: parsed.AUTH_ISSUER.replace(/\/$/, ''),
    authGrpcAddress: parsed.AUTH_GRPC_ADDRESS,
    oidcProviders: parsed.AUTH_OIDC_PROVIDERS,
    adminAudience: parsed.SECURITY_ADMIN_AUDIENCE,
    apiKeyCacheMs: parsed.AUTH_API_KEY_CACHE_MS,
    instanceId: parsed.SECURITY_INSTANCE_ID,
  };
}

export const SECURITY_CONFIG = Symbol('SECURITY_CONFIG');
