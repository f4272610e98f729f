import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { AUTH_CONFIG, type AuthConfig } from '../auth-config';
import { SigningKeysService } from '../signing-keys/signing-keys.service';
import { RevokedTokenRepository } from './revoked-token.repository';
import {
  type AccessTokenClaims,
  accessTokenClaims,
  type ActorClaim,
  type TokenSubject,
} from './token-claims';

export interface TokenGrant {
  readonly subject: TokenSubject;
  readonly audience: string | string[];
  readonly scopes: readonly string[];
  readonly clientId: string;
  readonly actor?: ActorClaim;
  readonly notAfter?: number;
}

export interface IssuedToken {
  readonly accessToken: string;
  readonly expiresIn: number;
  readonly claims: AccessTokenClaims;
}

export type TokenVerdict =
  | { readonly valid: true; readonly claims: AccessTokenClaims }
  | { readonly valid: false; readonly reason: string };

/** RFC 9068 §2.1: the media type of a JWT access token, so it is not mistaken for an ID token. */
const accessTokenType = 'at+jwt';

function hasIdentityClaims(payload: jwt.JwtPayload): payload is jwt.JwtPayload & AccessTokenClaims {
  return (
    typeof payload.sub === 'string' &&
    typeof payload.jti === 'string' &&
    typeof payload.exp === 'number' &&
    typeof payload['tenant'] === 'string' &&
    typeof payload['kind'] === 'string' &&
    typeof payload['scope'] === 'string' &&
    typeof payload['client_id'] === 'string' &&
    Array.isArray(payload['roles']) &&
    Array.isArray(payload['teams'])
  );
}

/** Signs access tokens with the current signing key and verifies tokens of this issuer. */
@Injectable()
export class TokenIssuer {
  constructor(
    private readonly signingKeys: SigningKeysService,
    private readonly revokedTokens: RevokedTokenRepository,
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
  ) {}

  async issue(grant: TokenGrant): Promise<IssuedToken> {
    const now = new Date();
    const { key, privateKey } = await this.signingKeys.signer(now);
    // A key's expiry was set from the token lifetime when it was made; if AUTH_TOKEN_TTL_MS has
    // grown since, tokens it signs must still not outlive it, or verifiers would drop it first.
    const keyExpiry = Math.floor(key.expiresAt.getTime() / 1000);
    const claims = accessTokenClaims({
      ...grant,
      notAfter: Math.min(grant.notAfter ?? keyExpiry, keyExpiry),
      issuer: this.config.issuer,
      now,
      ttlMs: this.config.tokenTtlMs,
      jti: randomUUID(),
    });
    const accessToken = jwt.sign(claims, privateKey, {
      algorithm: 'ES256',
      keyid: key.kid,
      header: { alg: 'ES256', typ: accessTokenType },
    });
    return { accessToken, expiresIn: claims.exp - claims.iat, claims };
  }

  /** Checks the signature against a live key of this issuer, iss, exp and nbf, and revocation. */
  async verify(token: string): Promise<TokenVerdict> {
    const decoded = jwt.decode(token, { complete: true });
    const kid = decoded?.header.kid;
    if (!kid) return { valid: false, reason: 'not a JWT of this issuer' };
    const publicKey = await this.signingKeys.verificationKey(kid, new Date());
    if (!publicKey) return { valid: false, reason: 'signed with a key this issuer does not have' };
    let payload: jwt.JwtPayload | string;
    try {
      payload = jwt.verify(token, publicKey, { algorithms: ['ES256'], issuer: this.config.issuer });
    } catch (error) {
      return { valid: false, reason: (error as Error).message };
    }
    if (typeof payload === 'string' || !hasIdentityClaims(payload)) {
      return { valid: false, reason: 'not an access token of this issuer' };
    }
    if (await this.revokedTokens.isRevoked(payload.jti)) return { valid: false, reason: 'token revoked' };
    return { valid: true, claims: payload };
  }
}
