import type { KeyObject } from 'node:crypto';
import { createPublicKey } from 'node:crypto';
import { JwksClient } from 'jwks-rsa';
import { fetch } from 'undici';
import type { OidcProviderConfig } from './security-config';

const discoveryTimeoutMs = 5_000;

/**
 * The signing keys of one external OpenID Connect provider: its discovery document names the
 * JWKS, which jwks-rsa fetches, caches and refreshes (rate-limited) when a token names a key id
 * it has not seen, which is how providers roll their keys.
 */
export class OidcProviderKeys {
  private client: Promise<JwksClient> | undefined;

  constructor(readonly provider: OidcProviderConfig) {}

  async keyFor(kid: string | undefined): Promise<KeyObject> {
    const client = await this.jwksClient();
    const signingKey = await client.getSigningKey(kid);
    return createPublicKey(signingKey.getPublicKey());
  }

  private jwksClient(): Promise<JwksClient> {
    this.client ??= this.discover().catch((error: unknown) => {
      this.client = undefined;
      throw error;
    });
    return this.client;
  }

  private async discover(): Promise<JwksClient> {
    const issuer = this.provider.issuer.replace(/\/$/, '');
    const response = await fetch(`${issuer}/.well-known/openid-configuration`, {
      signal: AbortSignal.timeout(discoveryTimeoutMs),
    });
    if (!response.ok) throw new Error(`OIDC discovery of ${issuer} answered HTTP ${response.status}`);
    const document = (await response.json()) as { issuer?: string; jwks_uri?: string };
    if (document.issuer?.replace(/\/$/, '') !== issuer) {
      throw new Error(`OIDC discovery of ${issuer} names another issuer (${document.issuer})`);
    }
    if (!document.jwks_uri) throw new Error(`OIDC discovery of ${issuer} names no jwks_uri`);
    return new JwksClient({
      jwksUri: document.jwks_uri,
      cache: true,
      cacheMaxAge: 10 * 60_000,
      rateLimit: true,
      jwksRequestsPerMinute: 10,
      timeout: discoveryTimeoutMs,
    });
  }
}
