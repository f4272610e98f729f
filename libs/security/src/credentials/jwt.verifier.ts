import type { KeyObject } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { decode, type JwtPayload } from 'jsonwebtoken';
import { ExtractJwt, Strategy as JwtStrategy } from 'passport-jwt';
import type { Principal } from '../identity/principal';
import { AuthenticationFailure, type AuthenticationFailureReason } from './authentication-failure';
import { OidcProviderKeys } from './oidc-provider.keys';
import { RevocationList } from './revocation.list';
import { SECURITY_CONFIG, type SecurityConfig } from './security-config';
import { SigningKeyDirectory } from './signing-key.directory';
import { principalFromClaims } from './token-claims';

/** Asymmetric algorithms only: an HMAC or `none` token is refused before any key is looked at. */
const acceptedAlgorithms = ['ES256', 'ES384', 'RS256', 'RS384', 'RS512', 'PS256'] as const;
/** Seconds of clock skew tolerated between the issuer and this host. */
const clockToleranceSeconds = 30;

interface PassportRun {
  success(user: unknown): void;
  fail(info: unknown): void;
  error(error: unknown): void;
  authenticate(request: unknown, options: unknown): void;
}

/** Maps jsonwebtoken's and our key lookup's refusals to the reasons callers and events use. */
function failureOf(info: unknown, token: Partial<JwtPayload>): AuthenticationFailure {
  if (info instanceof AuthenticationFailure) return info;
  const error = info as { name?: string; message?: string } | undefined;
  const message = error?.message ?? 'the token is not valid';
  let reason: AuthenticationFailureReason = 'malformed';
  if (error?.name === 'TokenExpiredError') reason = 'expired';
  else if (error?.name === 'NotBeforeError') reason = 'not-yet-valid';
  else if (/signature is required|invalid algorithm/.test(message)) reason = 'unsigned';
  else if (/invalid signature/.test(message)) reason = 'invalid-signature';
  else if (/issuer invalid/.test(message)) reason = 'untrusted-issuer';
  return new AuthenticationFailure(reason, `token ${message}`, token.jti, tenantClaim(token));
}

function tenantClaim(token: Partial<JwtPayload>): string | undefined {
  return typeof token['tenant'] === 'string' ? (token['tenant'] as string) : undefined;
}

/**
 * Verifies JWTs with passport-jwt: the built-in issuer's keys come from memory (the signing-keys
 * topic), an external OIDC provider's from its JWKS (cached). Signature, algorithm, issuer, expiry
 * and not-before are passport-jwt's and jsonwebtoken's checks; revocation and the mapping to a
 * principal are ours. The audience is checked by the caller, who knows which resource was asked.
 */
@Injectable()
export class JwtVerifier {
  private readonly strategy: JwtStrategy;
  private readonly providers = new Map<string, OidcProviderKeys>();

  constructor(
    @Inject(SECURITY_CONFIG) private readonly config: SecurityConfig,
    private readonly keys: SigningKeyDirectory,
    private readonly revocations: RevocationList,
  ) {
    for (const provider of config.oidcProviders) {
      this.providers.set(provider.issuer.replace(/\/$/, ''), new OidcProviderKeys(provider));
    }
    this.strategy = new JwtStrategy(
      {
        jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
        // jsonwebtoken takes KeyObjects (its typings say string | Buffer): no PEM round trip.
        secretOrKeyProvider: (
          _request: unknown,
          rawToken: string,
          done: (error: unknown, key?: string) => void,
        ) => {
          this.keyFor(rawToken).then(
            (key) => done(null, key as unknown as string),
            (error: unknown) => done(error),
          );
        },
        algorithms: [...acceptedAlgorithms],
        issuer: [config.issuer, ...this.providers.keys()],
        jsonWebTokenOptions: { clockTolerance: clockToleranceSeconds },
      },
      (payload: JwtPayload, done: (error: unknown, user?: unknown) => void) => done(null, payload),
    );
  }

  async verify(token: string): Promise<Principal> {
    const claims = await this.run(token);
    const issuer = String(claims.iss).replace(/\/$/, '');
    const principal = principalFromClaims(
      claims,
      issuer === this.config.issuer ? undefined : this.providers.get(issuer)?.provider,
    );
    if (this.revocations.isRevoked(principal.credentialId)) {
      throw new AuthenticationFailure(
        'revoked',
        'the token was revoked',
        principal.credentialId,
        principal.tenant,
      );
    }
    return principal;
  }

  private run(token: string): Promise<JwtPayload> {
    const unverified = (decode(token, { json: true }) ?? {}) as Partial<JwtPayload>;
    return new Promise((resolve, reject) => {
      const run = Object.create(this.strategy) as PassportRun;
      run.success = (user) => resolve(user as JwtPayload);
      run.fail = (info) => reject(failureOf(info, unverified));
      run.error = (error) => reject(failureOf(error, unverified));
      run.authenticate({ headers: { authorization: `Bearer ${token}` } }, {});
    });
  }

  /** The key that should have signed this token, from its (not yet trusted) issuer and kid. */
  private async keyFor(rawToken: string): Promise<KeyObject> {
    const decoded = decode(rawToken, { complete: true, json: true });
    if (!decoded || typeof decoded.payload !== 'object') {
      throw new AuthenticationFailure('malformed', 'the token is not a JWT');
    }
    const payload = decoded.payload as JwtPayload;
    const tenant = tenantClaim(payload);
    if (decoded.header.alg === 'none' || !decoded.signature) {
      throw new AuthenticationFailure('unsigned', 'the token is not signed', payload.jti, tenant);
    }
    const issuer = String(payload.iss ?? '').replace(/\/$/, '');
    if (issuer === this.config.issuer) {
      const key = decoded.header.kid ? this.keys.keyFor(decoded.header.kid) : undefined;
      if (!key || key.issuer !== issuer) {
        throw new AuthenticationFailure(
          'unknown-key',
          `no live signing key ${decoded.header.kid ?? '(no kid)'}`,
          payload.jti,
          tenant,
        );
      }
      return key.key;
    }
    const provider = this.providers.get(issuer);
    if (!provider) {
      throw new AuthenticationFailure(
        'untrusted-issuer',
        `tokens of ${issuer || '(no issuer)'} are not accepted`,
        payload.jti,
        tenant,
      );
    }
    try {
      return await provider.keyFor(decoded.header.kid);
    } catch (error) {
      throw new AuthenticationFailure(
        'unknown-key',
        `no key ${decoded.header.kid ?? '(no kid)'} of ${issuer}: ${error instanceof Error ? error.message : String(error)}`,
        payload.jti,
        tenant,
      );
    }
  }
}
