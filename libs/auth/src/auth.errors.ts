/* The admin API's domain errors; AuthHttpErrorFilter maps them to HTTP statuses in one place. */

/** A request body or query that breaks the rules; each problem starts with the field's path. */
export class InvalidAuthRequestError extends Error {
  override readonly name = 'InvalidAuthRequestError';

  constructor(readonly problems: readonly string[]) {
    super(problems.join('; '));
  }
}

export class AuthEntityNotFoundError extends Error {
  override readonly name = 'AuthEntityNotFoundError';
}

/** The name is taken in its tenant, or the credential is already in the state asked for. */
export class AuthEntityConflictError extends Error {
  override readonly name = 'AuthEntityConflictError';
}
