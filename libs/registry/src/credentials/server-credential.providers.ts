import type { Provider } from '@nestjs/common';
import { ConfigError } from '@gateway/platform';
import { loadMasterKeyCipher } from '@gateway/security';
import type { RegistryConfig } from '../registry-config';
import { resolveDeclaredCredentials } from './declared-credential.schema';
import { ServerCredentialRepository } from './server-credential.repository';
import { CredentialSealer } from './server-credential.sealer';
import {
  DECLARED_CREDENTIALS,
  type DeclaredCredentials,
  ServerCredentialStore,
} from './server-credential.store';
import { ServerCredentialsService } from './server-credentials.service';

/** The config file's credentials, read at start: an unset variable or a missing master key stops the process. */
export function loadDeclaredCredentials(
  config: RegistryConfig,
  env: NodeJS.ProcessEnv,
  sealer: CredentialSealer,
): DeclaredCredentials {
  const declared = resolveDeclaredCredentials(config.servers, env, config.configFile);
  if (declared.size > 0 && !sealer.configured) {
    throw new ConfigError('environment variables', [
      `GATEWAY_MASTER_KEY: servers ${[...declared.keys()].join(', ')} declare credentials, which are ` +
        'stored sealed with the master key: set GATEWAY_MASTER_KEY or GATEWAY_MASTER_KEY_FILE',
    ]);
  }
  return declared;
}

/** The registry's providers for server credentials; `env` holds the master key and the declared secrets. */
export function serverCredentialProviders(config: RegistryConfig, env: NodeJS.ProcessEnv): Provider[] {
  return [
    { provide: CredentialSealer, useFactory: () => new CredentialSealer(loadMasterKeyCipher(env)) },
    {
      provide: DECLARED_CREDENTIALS,
      useFactory: (sealer: CredentialSealer) => loadDeclaredCredentials(config, env, sealer),
      inject: [CredentialSealer],
    },
    ServerCredentialRepository,
    ServerCredentialStore,
    ServerCredentialsService,
  ];
}
