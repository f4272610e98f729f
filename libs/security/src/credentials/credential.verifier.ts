import { Injectable } from '@nestjs/common';
import type { Principal } from '../identity/principal';
import { apiKeyPrefix, ApiKeyVerifier } from './api-key.verifier';
import { AuthenticationFailure } from './authentication-failure';
import { JwtVerifier } from './jwt.verifier';
import { RevocationList } from './revocation.list';

const maxCachedTokens = 10_000;

/** The request headers a credential can come in. */
export interface CredentialHeaders {
  readonly authorization?: string | string[];
  readonly 'x-api-key'?: string | string[];
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The credential a request presents: a Bearer token (JWT or API key) or an X-API-Key header. */
export function presentedCredential(headers: CredentialHeaders): string | undefined {
  const authorization = single(headers.authorization);
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match)
      throw new AuthenticationFailure('malformed', 'the Authorization header is not "Bearer <token>"');
    return match[1];
  }
  return single(headers['x-api-key'])?.trim() || undefined;
}

/**
 * Authenticates a request in-process: API keys and JWTs alike become a Principal. A JWT that
 * verified once is remembered until it expires, so a client's repeated requests cost a map
 * lookup; revocation is checked on every use, cached or not.
 */
@Injectable()
export class CredentialVerifier {
  private readonly verifiedTokens = new Map<string, Principal>();

  constructor(
    private readonly apiKeys: ApiKeyVerifier,
    private readonly jwts: JwtVerifier,
    private readonly revocations: RevocationList,
  ) {
    revocations.onRevoked((credentialId) => {
      for (const [token, principal] of this.verifiedTokens) {
        if (principal.credentialId === credentialId) this.verifiedTokens.delete(token);
      }
    });
  }

  /** The principal of the request's credential; throws AuthenticationFailure ('missing' when none). */
  async authenticate(headers: CredentialHeaders): Promise<Principal> {
    const credential = presentedCredential(headers);
    if (!credential) throw new AuthenticationFailure('missing', 'no credential was presented');
    return this.verify(credential);
  }

  async verify(credential: string): Promise<Principal> {
    if (credential.startsWith(apiKeyPrefix)) return this.apiKeys.verify(credential);
    const cached = this.verifiedTokens.get(credential);
    if (cached && (cached.expiresAtMs ?? Infinity) > Date.now()) {
      if (this.revocations.isRevoked(cached.credentialId)) {
        this.verifiedTokens.delete(credential);
        throw new AuthenticationFailure(
          'revoked',
          'the token was revoked',
          cached.credentialId,
          cached.tenant,
        );
      }
      return cached;
    }
    if (cached) this.verifiedTokens.delete(credential);
    const principal = await this.jwts.verify(credential);
    if (this.verifiedTokens.size >= maxCachedTokens) {
      this.verifiedTokens.delete(this.verifiedTokens.keys().next().value!);
    }
    this.verifiedTokens.set(credential, principal);
    return principal;
  }
}

/**
 * RFC 8707: a token is only good for the resources it was issued for. API keys are not bound to
 * an audience (they are scoped instead), so they pass.
 */
export function checkAudience(principal: Principal, acceptable: readonly string[]): void {
  if (!principal.audiences) return;
  const normalized = (value: string) => value.replace(/\/$/, '');
  const wanted = new Set(acceptable.map(normalized));
  if (!principal.audiences.some((audience) => wanted.has(normalized(audience)))) {
    throw new AuthenticationFailure(
      'wrong-audience',
      `the token is for ${principal.audiences.join(', ') || 'no audience'}, not ${acceptable[0]}`,
      principal.credentialId,
      principal.tenant,
    );
  }
}
