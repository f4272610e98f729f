/** Why a credential was refused; each maps to the answer the caller gets and to the security event. */
export type AuthenticationFailureReason =
  | 'missing'
  | 'malformed'
  | 'unsigned'
  | 'invalid-signature'
  | 'expired'
  | 'not-yet-valid'
  | 'untrusted-issuer'
  | 'unknown-key'
  | 'wrong-audience'
  | 'revoked'
  | 'unknown-api-key';

export class AuthenticationFailure extends Error {
  constructor(
    readonly reason: AuthenticationFailureReason,
    message: string,
    /** The credential's id when it could be read (key id or jti), for the security event. */
    readonly credentialId?: string,
    /** The tenant the credential claimed, unverified, for routing the security event. */
    readonly claimedTenant?: string,
  ) {
    super(message);
    this.name = 'AuthenticationFailure';
  }
}

/** The credential could not be checked: the auth service is unreachable (a 503, never a 401). */
export class CredentialServiceUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CredentialServiceUnavailable';
  }
}
