import { hashApiKey, type StoredApiKey, verdictFor } from './api-key-verifier';

const now = new Date('2026-11-21T12:00:00Z');
const stored: StoredApiKey = {
  id: 'key_1',
  tenant: 'default',
  principalId: 'agent:build-bot',
  principalKind: 'agent',
  roles: ['developer'],
  scopes: ['mcp:tools'],
  expiresAt: null,
  revokedAt: null,
};

describe('API key verification', () => {
  it('hashes keys with SHA-256 so the key itself is never stored', () => {
    expect(hashApiKey('secret')).toBe('2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b');
  });

  it('accepts a stored key and returns its principal', () => {
    expect(verdictFor(stored, now)).toEqual({
      valid: true,
      reason: '',
      expiresAtMs: 0,
      principal: {
        id: 'agent:build-bot',
        tenant: 'default',
        kind: 'agent',
        roles: ['developer'],
        scopes: ['mcp:tools'],
        teams: [],
        credentialId: 'key_1',
      },
    });
  });

  it.each([
    ['unknown', undefined],
    ['revoked', { ...stored, revokedAt: new Date('2026-11-21T11:00:00Z') }],
    ['expired', { ...stored, expiresAt: new Date('2026-11-21T11:59:59Z') }],
  ])('rejects a %s key', (reason, key) => {
    expect(verdictFor(key, now)).toEqual({ valid: false, principal: undefined, reason, expiresAtMs: 0 });
  });
});
