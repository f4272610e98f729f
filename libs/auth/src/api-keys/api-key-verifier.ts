import { createHash } from 'node:crypto';
import type { AuthApi } from '@gateway/contracts';

export interface StoredApiKey {
  readonly id: string;
  readonly tenant: string;
  readonly principalId: string;
  readonly principalKind: string;
  readonly roles: readonly string[];
  readonly scopes: readonly string[];
  readonly expiresAt: Date | null;
  readonly revokedAt: Date | null;
}

export function hashApiKey(apiKey: string): string {
  return createHash('sha256').update(apiKey, 'utf8').digest('hex');
}

/** The verdict on a presented key, given what is stored under its hash (if anything). */
export function verdictFor(stored: StoredApiKey | undefined, now: Date): AuthApi.VerifyApiKeyResponse {
  if (!stored) return { valid: false, principal: undefined, reason: 'unknown', expiresAtMs: 0 };
  if (stored.revokedAt && stored.revokedAt <= now)
    return { valid: false, principal: undefined, reason: 'revoked', expiresAtMs: 0 };
  if (stored.expiresAt && stored.expiresAt <= now)
    return { valid: false, principal: undefined, reason: 'expired', expiresAtMs: 0 };
  return {
    valid: true,
    reason: '',
    expiresAtMs: stored.expiresAt?.getTime() ?? 0,
    principal: {
      id: stored.principalId,
      tenant: stored.tenant,
      kind: stored.principalKind,
      roles: [...stored.roles],
      scopes: [...stored.scopes],
      teams: [],
      credentialId: stored.id,
    },
  };
}
