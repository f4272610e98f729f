import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { lastValueFrom } from 'rxjs';
import { AuthApi, GrpcPackages } from '@gateway/contracts';
import { createGrpcClient } from '@gateway/platform';
import type { Principal } from '../identity/principal';
import { AuthenticationFailure, CredentialServiceUnavailable } from './authentication-failure';
import { RevocationList } from './revocation.list';
import { SECURITY_CONFIG, type SecurityConfig } from './security-config';

/** The gateway's API keys start with this, which tells them from JWTs in a Bearer header. */
export const apiKeyPrefix = 'mgw_';

const maxCachedKeys = 10_000;
/** An unknown key is remembered briefly so a client retrying a bad key does not load auth. */
const unknownKeyCacheMs = 5_000;

type CachedVerdict =
  | { readonly principal: Principal; readonly until: number }
  | { readonly failure: AuthenticationFailure; readonly until: number };

function principalOf(verdict: AuthApi.VerifyApiKeyResponse): Principal {
  const principal = verdict.principal!;
  return {
    id: principal.id,
    tenant: principal.tenant,
    kind: principal.kind as Principal['kind'],
    roles: principal.roles,
    teams: principal.teams,
    scopes: principal.scopes,
    credentialId: principal.credentialId,
    credential: 'api-key',
    expiresAtMs: verdict.expiresAtMs ? Number(verdict.expiresAtMs) : undefined,
  };
}

/**
 * Verifies API keys. Only auth holds their hashes, so the first use of a key asks auth over
 * gRPC; the verdict is then kept in memory (by the key's hash, never the key) for a short
 * while, and a revocation from the revocations topic evicts it at once.
 */
@Injectable()
export class ApiKeyVerifier {
  private readonly cache = new Map<string, CachedVerdict>();
  private readonly client: AuthApi.AuthServiceClient;

  constructor(
    @Inject(SECURITY_CONFIG) private readonly config: SecurityConfig,
    private readonly revocations: RevocationList,
  ) {
    this.client = createGrpcClient<AuthApi.AuthServiceClient>(GrpcPackages.auth, config.authGrpcAddress);
    revocations.onRevoked((credentialId) => {
      for (const [hash, verdict] of this.cache) {
        if ('principal' in verdict && verdict.principal.credentialId === credentialId)
          this.cache.delete(hash);
      }
    });
  }

  async verify(apiKey: string): Promise<Principal> {
    const hash = createHash('sha256').update(apiKey, 'utf8').digest('hex');
    const now = Date.now();
    let verdict = this.cache.get(hash);
    if (!verdict || verdict.until <= now) verdict = await this.ask(apiKey, hash, now);
    if ('failure' in verdict) throw verdict.failure;
    const { principal } = verdict;
    if (this.revocations.isRevoked(principal.credentialId)) {
      throw new AuthenticationFailure(
        'revoked',
        'the API key was revoked',
        principal.credentialId,
        principal.tenant,
      );
    }
    if (principal.expiresAtMs !== undefined && principal.expiresAtMs <= now) {
      throw new AuthenticationFailure(
        'expired',
        'the API key has expired',
        principal.credentialId,
        principal.tenant,
      );
    }
    return principal;
  }

  private async ask(apiKey: string, hash: string, now: number): Promise<CachedVerdict> {
    let response: AuthApi.VerifyApiKeyResponse;
    try {
      response = await lastValueFrom(this.client.verifyApiKey({ apiKey }));
    } catch (error) {
      throw new CredentialServiceUnavailable(
        `API keys cannot be verified right now: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    const verdict: CachedVerdict = response.valid
      ? { principal: principalOf(response), until: now + this.config.apiKeyCacheMs }
      : {
          failure: new AuthenticationFailure(
            response.reason === 'revoked' || response.reason === 'expired'
              ? response.reason
              : 'unknown-api-key',
            `the API key is ${response.reason || 'not valid'}`,
          ),
          until: now + unknownKeyCacheMs,
        };
    if (this.cache.size >= maxCachedKeys) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(hash, verdict);
    return verdict;
  }
}
