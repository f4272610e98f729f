import type { PolicyError } from '@gateway/security';

/* The policy admin API's errors; PolicyHttpErrorFilter maps them to HTTP statuses. */

export class PoliciesNotLoadedError extends Error {
  override readonly name = 'PoliciesNotLoadedError';

  constructor() {
    super('the policies are not loaded yet (waiting for the database)');
  }
}

/** A body or path parameter that breaks the rules; each problem starts with the field's path. */
export class InvalidPolicyRequestError extends Error {
  override readonly name = 'InvalidPolicyRequestError';

  constructor(readonly problems: readonly string[]) {
    super(problems.join('; '));
  }
}

/** Cedar text that does not parse or validate, with positions in the submitted text. */
export class InvalidPolicyError extends Error {
  override readonly name = 'InvalidPolicyError';

  constructor(readonly errors: readonly PolicyError[]) {
    super(
      `invalid policy: ${errors.map((error) => `${error.line}:${error.column} ${error.message}`).join('; ')}`,
    );
  }
}

export class PolicyNotFoundError extends Error {
  override readonly name = 'PolicyNotFoundError';

  constructor(tenant: string, id: string) {
    super(`tenant "${tenant}" has no policy "${id}"`);
  }
}
