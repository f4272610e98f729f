/* The virtual server use cases' errors; RegistryHttpErrorFilter maps them to HTTP statuses. */

export class VirtualServersNotLoadedError extends Error {
  override readonly name = 'VirtualServersNotLoadedError';

  constructor() {
    super('the virtual servers are not loaded yet (waiting for the database)');
  }
}

export class VirtualServerNotFoundError extends Error {
  override readonly name = 'VirtualServerNotFoundError';

  constructor(readonly virtualServer: string) {
    super(`no virtual server named "${virtualServer}"`);
  }
}

/** A request body or path that breaks the rules; each problem starts with the field's path. */
export class InvalidVirtualServerError extends Error {
  override readonly name = 'InvalidVirtualServerError';

  constructor(readonly problems: readonly string[]) {
    super(problems.join('; '));
  }
}

/** The change was made against a revision that is no longer the current one. */
export class VirtualServerRevisionConflictError extends Error {
  override readonly name = 'VirtualServerRevisionConflictError';

  constructor(
    readonly virtualServer: string,
    readonly expected: number,
    readonly current: number,
  ) {
    super(
      current === 0
        ? `revision: virtual server "${virtualServer}" does not exist (expected revision ${expected})`
        : `revision: virtual server "${virtualServer}" is at revision ${current}, not ${expected}`,
    );
  }
}
