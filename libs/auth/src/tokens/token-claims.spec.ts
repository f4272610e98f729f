import { generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { OAuthError } from './oauth-error';
import { accessTokenClaims, grantedScopes, tokenAudience } from './token-claims';

const now = new Date('2026-11-21T10:00:00.400Z');
const subject = {
  id: 'agent:build-bot',
  tenant: 'acme',
  kind: 'agent',
  roles: ['developer'],
  teams: ['platform'],
};

function refusal(run: () => unknown): { code: string; description: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof OAuthError) return { code: error.code, description: error.description };
    throw error;
  }
  throw new Error('expected an OAuthError');
}

describe('access token claims', () => {
  const facts = {
    issuer: 'https://gateway.example.com',
    subject,
    audience: 'https://mcp.example.com/mcp',
    scopes: ['mcp:read', 'mcp:call'],
    clientId: 'agt_1',
    now,
    ttlMs: 3_600_000,
    jti: 'c9d5b1e2-8f4a-4b7e-9c3d-2a1b0e9f8d7c',
  };

  it('carry who, for whom, what and how long, in whole seconds that never outlive now + ttl', () => {
    expect(accessTokenClaims(facts)).toEqual({
      iss: 'https://gateway.example.com',
      sub: 'agent:build-bot',
      aud: 'https://mcp.example.com/mcp',
      iat: 1795255200,
      nbf: 1795255200,
      exp: 1795258800,
      jti: 'c9d5b1e2-8f4a-4b7e-9c3d-2a1b0e9f8d7c',
      scope: 'mcp:read mcp:call',
      tenant: 'acme',
      kind: 'agent',
      roles: ['developer'],
      teams: ['platform'],
      client_id: 'agt_1',
    });
  });

  it('name the actor of an exchanged token, nested under an earlier one, and end with the subject token', () => {
    const claims = accessTokenClaims({
      ...facts,
      actor: { sub: 'agent:router', act: { sub: 'agent:planner' } },
      notAfter: 1795256000,
    });
    expect(claims.act).toEqual({ sub: 'agent:router', act: { sub: 'agent:planner' } });
    expect(claims.exp).toBe(1795256000);
  });

  it('survive signing with ES256 and verification with the public key, and nothing else', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const token = jwt.sign(accessTokenClaims(facts), privateKey, { algorithm: 'ES256', keyid: 'k1' });
    const verified = jwt.verify(token, publicKey, {
      algorithms: ['ES256'],
      issuer: facts.issuer,
      audience: facts.audience,
      clockTimestamp: Math.floor(now.getTime() / 1000),
    });
    expect(verified).toMatchObject({ sub: 'agent:build-bot', scope: 'mcp:read mcp:call', tenant: 'acme' });
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
    expect(() => jwt.verify(token, other, { algorithms: ['ES256'], ignoreExpiration: true })).toThrow(
      /invalid signature/,
    );
  });
});

describe('scope narrowing', () => {
  const allowed = ['mcp:read', 'mcp:call', 'admin'];

  it('grants every allowed scope when none is requested', () => {
    expect(grantedScopes(undefined, allowed)).toEqual(allowed);
  });

  it('grants a requested subset as requested', () => {
    expect(grantedScopes(['mcp:read'], allowed)).toEqual(['mcp:read']);
  });

  it('refuses with invalid_scope naming each scope that is not allowed', () => {
    expect(refusal(() => grantedScopes(['mcp:read', 'mcp:write', 'root'], allowed))).toEqual({
      code: 'invalid_scope',
      description: 'not allowed for this client: mcp:write root',
    });
  });

  it('refuses any scope to a client that is allowed none', () => {
    expect(grantedScopes(undefined, [])).toEqual([]);
    expect(refusal(() => grantedScopes(['mcp:read'], [])).code).toBe('invalid_scope');
  });
});

describe('token audience (RFC 8707 resource, RFC 8693 audience)', () => {
  const open = { allowedResources: [] };

  it('is the requested resource', () => {
    expect(tokenAudience(['https://mcp.example.com/mcp'], [], open)).toBe('https://mcp.example.com/mcp');
  });

  it('lists every target when several are named', () => {
    expect(tokenAudience(['https://a.example.com/'], ['billing'], open)).toEqual([
      'https://a.example.com/',
      'billing',
    ]);
  });

  it('falls back to the default audience, and without one refuses with invalid_target', () => {
    expect(tokenAudience([], [], { ...open, defaultAudience: 'https://gw.example.com/mcp' })).toBe(
      'https://gw.example.com/mcp',
    );
    expect(refusal(() => tokenAudience([], [], open)).code).toBe('invalid_target');
  });

  it('refuses a resource that is not an absolute URI or has a fragment', () => {
    expect(refusal(() => tokenAudience(['mcp-server'], [], open)).code).toBe('invalid_target');
    expect(refusal(() => tokenAudience(['https://a.example.com/#x'], [], open)).code).toBe('invalid_target');
  });

  it('admits only targets under an allowed prefix, matched at a path boundary', () => {
    const policy = { allowedResources: ['https://mcp.example.com', 'https://tools.example.com/v1/'] };
    expect(tokenAudience(['https://mcp.example.com/mcp'], [], policy)).toBe('https://mcp.example.com/mcp');
    expect(tokenAudience(['https://tools.example.com/v1/x'], [], policy)).toBe(
      'https://tools.example.com/v1/x',
    );
    expect(refusal(() => tokenAudience(['https://mcp.example.com.evil.test/mcp'], [], policy))).toEqual({
      code: 'invalid_target',
      description: 'no token is issued for https://mcp.example.com.evil.test/mcp',
    });
    expect(refusal(() => tokenAudience(['https://tools.example.com/v2/x'], [], policy)).code).toBe(
      'invalid_target',
    );
  });
});
