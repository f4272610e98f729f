import { ConfigError, envFields, loadEnvConfig } from '@gateway/platform';
import { type EnvelopeCipher, loadMasterKeyCipher } from '@gateway/security';
import { z } from 'zod';
import { apiKeyPattern } from './api-keys/api-key.format';

const hour = 60 * 60 * 1000;

const urlRule =
  'expected an absolute http(s) URL without query or fragment, e.g. https://gateway.example.com';

/** An http(s) URL without query or fragment; a trailing slash is dropped so paths join cleanly. */
const baseUrl = z.string().transform((value, context) => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    context.addIssue({ code: 'custom', message: urlRule });
    return z.NEVER;
  }
  if (!/^https?:$/.test(url.protocol) || url.search !== '' || url.hash !== '') {
    context.addIssue({ code: 'custom', message: urlRule });
    return z.NEVER;
  }
  return value.replace(/\/+$/, '');
});

const resourceList = z
  .string()
  .optional()
  .transform((value, context) => {
    const prefixes = (value ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
    for (const prefix of prefixes) {
      if (!URL.canParse(prefix)) {
        context.addIssue({ code: 'custom', message: `"${prefix}": expected comma-separated URL prefixes` });
        return z.NEVER;
      }
    }
    return prefixes;
  });

const authEnvSchema = z
  .object({
    AUTH_ISSUER: baseUrl.default('http://127.0.0.1:8083'),
    AUTH_TOKEN_TTL_MS: envFields.milliseconds(hour).pipe(z.number().min(1_000, 'expected at least 1000 ms')),
    AUTH_SIGNING_KEY_ROTATION_MS: envFields
      .milliseconds(24 * hour)
      .pipe(z.number().min(1_000, 'expected at least 1000 ms')),
    AUTH_DEFAULT_AUDIENCE: z.string().min(1, 'expected a resource URI or audience name').optional(),
    AUTH_ALLOWED_RESOURCES: resourceList,
    AUTH_BOOTSTRAP_ADMIN_KEY: z
      .string()
      .regex(apiKeyPattern, 'expected an API key of the form mgw_<43 characters of base64url>')
      .optional(),
    AUTH_GRPC_ADDRESS: envFields.grpcAddress('127.0.0.1:50053'),
  })
  .superRefine((env, context) => {
    const audience = env.AUTH_DEFAULT_AUDIENCE;
    if (
      audience &&
      env.AUTH_ALLOWED_RESOURCES.length > 0 &&
      !isAllowedTarget(audience, env.AUTH_ALLOWED_RESOURCES)
    ) {
      context.addIssue({
        code: 'custom',
        path: ['AUTH_DEFAULT_AUDIENCE'],
        message: 'is outside AUTH_ALLOWED_RESOURCES, so no token could be issued for it',
      });
    }
  });

export interface AuthConfig {
  /** The public base URL of the auth routes: the tokens' `iss`, and where the endpoints are. */
  readonly issuer: string;
  readonly tokenTtlMs: number;
  readonly signingKeyRotationMs: number;
  /** The `aud` of a token requested without a resource; without it such a request fails. */
  readonly defaultAudience?: string;
  /** URL prefixes a requested resource must fall under; empty allows any. */
  readonly allowedResources: readonly string[];
  /** The first admin API key, for automation; generated and printed once when absent. */
  readonly bootstrapAdminKey?: string;
  readonly grpcAddress: string;
}

/** Injection token of the AuthConfig inside AuthModule. */
export const AUTH_CONFIG = Symbol('AUTH_CONFIG');

export function loadAuthConfig(env: NodeJS.ProcessEnv = process.env): AuthConfig {
  const parsed = loadEnvConfig(authEnvSchema, env);
  return {
    issuer: parsed.AUTH_ISSUER,
    tokenTtlMs: parsed.AUTH_TOKEN_TTL_MS,
    signingKeyRotationMs: parsed.AUTH_SIGNING_KEY_ROTATION_MS,
    defaultAudience: parsed.AUTH_DEFAULT_AUDIENCE,
    allowedResources: parsed.AUTH_ALLOWED_RESOURCES,
    bootstrapAdminKey: parsed.AUTH_BOOTSTRAP_ADMIN_KEY,
    grpcAddress: parsed.AUTH_GRPC_ADDRESS,
  };
}

/**
 * The master key cipher the signing keys are sealed with. Auth cannot start without one: a
 * signing key stored in the clear would let anyone with read access to the database mint tokens.
 */
export function loadAuthMasterKeyCipher(env: NodeJS.ProcessEnv = process.env): EnvelopeCipher {
  const cipher = loadMasterKeyCipher(env);
  if (!cipher) {
    throw new ConfigError('environment variables', [
      'GATEWAY_MASTER_KEY / GATEWAY_MASTER_KEY_FILE: not set; auth seals its token signing keys with ' +
        'the master key (32 bytes as 64 hex digits or base64, e.g. `openssl rand -hex 32`)',
    ]);
  }
  return cipher;
}

/**
 * Whether a token may be issued for `target` under the allowed prefixes. A prefix matches at a
 * boundary only, so https://mcp.example.com does not admit https://mcp.example.com.evil.test.
 */
export function isAllowedTarget(target: string, allowedPrefixes: readonly string[]): boolean {
  return allowedPrefixes.some((prefix) => {
    if (target === prefix) return true;
    if (!target.startsWith(prefix)) return false;
    return prefix.endsWith('/') || ['/', '?', '#'].includes(target.charAt(prefix.length));
  });
}
