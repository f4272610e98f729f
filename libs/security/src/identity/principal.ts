/** Who is calling, as a verified credential says: the same shape whatever the credential was. */
export interface Principal {
  /** Stable id: "agent:build-bot", "user:alice@example.com", or the external subject. */
  readonly id: string;
  readonly tenant: string;
  readonly kind: 'user' | 'agent' | 'service-account';
  readonly roles: readonly string[];
  readonly teams: readonly string[];
  /** OAuth scopes the credential grants (API keys carry theirs too). */
  readonly scopes: readonly string[];
  /** API key id or token id (jti): what a revocation names. */
  readonly credentialId: string;
  readonly credential: 'api-key' | 'jwt';
  /** The token's issuer; absent for API keys. */
  readonly issuer?: string;
  /** Audiences the token was issued for; absent for API keys (they are not audience-bound). */
  readonly audiences?: readonly string[];
  /** Epoch ms after which the credential is invalid; absent when it does not expire. */
  readonly expiresAtMs?: number;
}

/** The role that opens every admin route. */
export const adminRole = 'admin';

export function hasRole(principal: Principal, role: string): boolean {
  return principal.roles.includes(role);
}
