import { hashApiKey, rejectionOf, type StoredApiKey, verdictFor } from './api-key-verifier';

const now = new Date('2026-11-21T12:00:00Z');
const stored: StoredApiKey = {
  id: 'key_1',
  tenant: 'default',
  principalId: 'agent:build-bot',
  principalKind: 'agent',
  name: 'CI',
  prefix: 'mgw_abcdefgh',
  scopes: ['mcp:tools'],
  createdAt: new Date('2026-11-01T00:00:00Z'),
  createdBy: 'user:admin',
  expiresAt: null,
  revokedAt: null,
  lastUsedAt: null,
};
const access = { roles: ['developer', 'on-call'], teams: ['sre'] };

describe('API key verification', () => {
  it('hashes keys with SHA-256 so the key itself is never stored', () => {
    expect(hashApiKey('secret')).toBe('2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b');
  });

  it("accepts a stored key and returns its principal with the principal's roles and teams", () => {
    expect(verdictFor(stored, access, now)).toEqual({
      valid: true,
      reason: '',
      expiresAtMs: 0,
      principal: {
        id: 'agent:build-bot',
        tenant: 'default',
        kind: 'agent',
        roles: ['developer', 'on-call'],
        scopes: ['mcp:tools'],
        teams: ['sre'],
        credentialId: 'key_1',
      },
    });
  });

  it('says when an expiring key expires', () => {
    const expiresAt = new Date('2026-12-01T00:00:00Z');
    expect(verdictFor({ ...stored, expiresAt }, access, now).expiresAtMs).toBe(expiresAt.getTime());
  });

  it.each([
    ['unknown', undefined],
    ['revoked', { ...stored, revokedAt: new Date('2026-11-21T11:00:00Z') }],
    ['expired', { ...stored, expiresAt: new Date('2026-11-21T11:59:59Z') }],
  ])('rejects a %s key and reveals no principal', (reason, key) => {
    expect(rejectionOf(key, now)).toBe(reason);
    expect(verdictFor(key, access, now)).toEqual({
      valid: false,
      principal: undefined,
      reason,
      expiresAtMs: 0,
    });
  });
});
