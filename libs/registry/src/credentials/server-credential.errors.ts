/* The server credential use cases' errors; ServerCredentialHttpErrorFilter maps them to HTTP statuses. */

/** A credential must be sealed (or opened) and this registry has no master key. */
export class MasterKeyMissingError extends Error {
  override readonly name = 'MasterKeyMissingError';

  constructor() {
    super(
      'server credentials are stored sealed with the master key: set GATEWAY_MASTER_KEY or GATEWAY_MASTER_KEY_FILE',
    );
  }
}

export class ServerNotFoundError extends Error {
  override readonly name = 'ServerNotFoundError';

  constructor(readonly serverId: string) {
    super(`no server with id "${serverId}"`);
  }
}

export class ServerCredentialNotFoundError extends Error {
  override readonly name = 'ServerCredentialNotFoundError';

  constructor(readonly serverId: string) {
    super(`server "${serverId}" has no credentials`);
  }
}

/** A request body that breaks the rules; each problem starts with the field's path. */
export class InvalidServerCredentialError extends Error {
  override readonly name = 'InvalidServerCredentialError';

  constructor(readonly problems: readonly string[]) {
    super(problems.join('; '));
  }
}
