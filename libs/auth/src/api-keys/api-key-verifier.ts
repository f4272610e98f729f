import { createHash } from 'node:crypto';
import type { AuthApi } from '@gateway/contracts';
import type { PrincipalAccess } from '../identities/directory.model';

export interface StoredApiKey {
  readonly id: string;
  readonly tenant: string;
  readonly principalId: string;
  readonly principalKind: string;
  readonly name: string;
  readonly prefix: string;
  readonly scopes: readonly string[];
  readonly createdAt: Date;
  readonly createdBy: string;
  readonly expiresAt: Date | null;
  readonly revokedAt: Date | null;
  readonly lastUsedAt: Date | null;
}

/** API keys carry 256 random bits: a fast hash is enough, and a lookup by hash stays one index probe. */
export function hashApiKey(apiKey: string): string {
  return createHash('sha256').update(apiKey, 'utf8').digest('hex');
}

export type ApiKeyRejection = 'unknown' | 'revoked' | 'expired';

/** Why a key cannot be used now, or undefined when it can. */
export function rejectionOf(stored: StoredApiKey | undefined, now: Date): ApiKeyRejection | undefined {
  if (!stored) return 'unknown';
  if (stored.revokedAt && stored.revokedAt <= now) return 'revoked';
  if (stored.expiresAt && stored.expiresAt <= now) return 'expired';
  return undefined;
}

/** The verdict on a presented key, given what is stored under its hash and its principal's roles and teams. */
export function verdictFor(
  stored: StoredApiKey | undefined,
  access: PrincipalAccess,
  now: Date,
): AuthApi.VerifyApiKeyResponse {
  const rejection = rejectionOf(stored, now);
  if (rejection || !stored) {
    return { valid: false, principal: undefined, reason: rejection ?? 'unknown', expiresAtMs: 0 };
  }
  return {
    valid: true,
    reason: '',
    expiresAtMs: stored.expiresAt?.getTime() ?? 0,
    principal: {
      id: stored.principalId,
      tenant: stored.tenant,
      kind: stored.principalKind,
      roles: [...access.roles],
      scopes: [...stored.scopes],
      teams: [...access.teams],
      credentialId: stored.id,
    },
  };
}
