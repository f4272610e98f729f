import { randomBytes } from 'node:crypto';
import { ConfigError } from '@gateway/platform';
import { generateApiKey } from './api-keys/api-key.format';
import { isAllowedTarget, loadAuthConfig, loadAuthMasterKeyCipher } from './auth-config';

function problemsOf(load: () => unknown): readonly string[] {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('auth config', () => {
  it('has working defaults', () => {
    expect(loadAuthConfig({})).toEqual({
      issuer: 'http://127.0.0.1:8083',
      tokenTtlMs: 3_600_000,
      signingKeyRotationMs: 86_400_000,
      defaultAudience: undefined,
      allowedResources: [],
      bootstrapAdminKey: undefined,
      grpcAddress: '127.0.0.1:50053',
    });
  });

  it('reads every variable, dropping a trailing slash from the issuer', () => {
    const key = generateApiKey();
    expect(
      loadAuthConfig({
        AUTH_ISSUER: 'https://gateway.example.com/auth/',
        AUTH_TOKEN_TTL_MS: '600000',
        AUTH_SIGNING_KEY_ROTATION_MS: '3600000',
        AUTH_DEFAULT_AUDIENCE: 'https://gateway.example.com/mcp',
        AUTH_ALLOWED_RESOURCES: 'https://gateway.example.com/mcp, https://tools.example.com/',
        AUTH_BOOTSTRAP_ADMIN_KEY: key,
      }),
    ).toMatchObject({
      issuer: 'https://gateway.example.com/auth',
      tokenTtlMs: 600_000,
      signingKeyRotationMs: 3_600_000,
      defaultAudience: 'https://gateway.example.com/mcp',
      allowedResources: ['https://gateway.example.com/mcp', 'https://tools.example.com/'],
      bootstrapAdminKey: key,
    });
  });

  it('names each bad variable', () => {
    expect(
      problemsOf(() =>
        loadAuthConfig({
          AUTH_ISSUER: 'gateway.example.com',
          AUTH_TOKEN_TTL_MS: '500',
          AUTH_BOOTSTRAP_ADMIN_KEY: 'admin',
          AUTH_ALLOWED_RESOURCES: 'not a url',
        }),
      ).map((problem) => problem.split(':')[0]),
    ).toEqual(['AUTH_ISSUER', 'AUTH_TOKEN_TTL_MS', 'AUTH_ALLOWED_RESOURCES', 'AUTH_BOOTSTRAP_ADMIN_KEY']);
  });

  it('refuses a default audience no token could be issued for', () => {
    expect(
      problemsOf(() =>
        loadAuthConfig({
          AUTH_DEFAULT_AUDIENCE: 'https://other.example.com/mcp',
          AUTH_ALLOWED_RESOURCES: 'https://gateway.example.com/',
        }),
      ),
    ).toEqual([expect.stringMatching(/^AUTH_DEFAULT_AUDIENCE: is outside AUTH_ALLOWED_RESOURCES/)]);
  });

  it('needs the master key, naming both ways to give it', () => {
    const [problem] = problemsOf(() => loadAuthMasterKeyCipher({}));
    expect(problem).toMatch(/GATEWAY_MASTER_KEY/);
    expect(problem).toMatch(/GATEWAY_MASTER_KEY_FILE/);
    const cipher = loadAuthMasterKeyCipher({ GATEWAY_MASTER_KEY: randomBytes(32).toString('hex') });
    expect(cipher.decrypt(cipher.encrypt('pem', 'signing-key:k'), 'signing-key:k')).toBe('pem');
  });
});

describe('allowed resource prefixes', () => {
  it('match whole path segments only', () => {
    expect(isAllowedTarget('https://a.example.com', ['https://a.example.com'])).toBe(true);
    expect(isAllowedTarget('https://a.example.com/mcp', ['https://a.example.com'])).toBe(true);
    expect(isAllowedTarget('https://a.example.com.evil.test', ['https://a.example.com'])).toBe(false);
    expect(isAllowedTarget('https://a.example.com/mcpx', ['https://a.example.com/mcp'])).toBe(false);
    expect(isAllowedTarget('https://a.example.com/mcp/x', ['https://a.example.com/mcp/'])).toBe(true);
  });
});
