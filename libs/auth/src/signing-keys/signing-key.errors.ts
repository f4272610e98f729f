/** No key can sign yet: the database has not answered since start. The token endpoint answers 503. */
export class SigningKeyUnavailableError extends Error {
  override readonly name = 'SigningKeyUnavailableError';

  constructor() {
    super('no signing key is available yet');
  }
}
