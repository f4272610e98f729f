import { z } from 'zod';
import type { ServerCredential } from '@gateway/contracts';
import { ConfigError } from '@gateway/platform';
import { credentialInputSchema, environmentVariableName } from './server-credential-input.schema';

/** A secret of the config file: always the name of the variable that holds it, never the value. */
const secretFromEnv = z
  .object(
    { valueFromEnv: environmentVariableName },
    {
      error:
        'expected { valueFromEnv: NAME }: secrets are read from the environment, not written in the file',
    },
  )
  .strict();

type SecretReference = z.infer<typeof secretFromEnv>;

/** `credentials:` of a server in the config file. */
export const declaredCredentialSchema = credentialInputSchema(secretFromEnv);

export type DeclaredCredential = z.infer<typeof declaredCredentialSchema>;

/** A declared server as far as its credential goes. */
export interface ServerWithDeclaredCredential {
  readonly id: string;
  readonly credentials?: DeclaredCredential;
}

/** Each server's credential with its secrets read from `env`; fails naming every unset variable. */
export function resolveDeclaredCredentials(
  servers: readonly ServerWithDeclaredCredential[],
  env: NodeJS.ProcessEnv,
  file: string,
): Map<string, ServerCredential> {
  const problems: string[] = [];
  const resolved = new Map<string, ServerCredential>();
  for (const server of servers) {
    if (!server.credentials) continue;
    const read = (reference: SecretReference, field: string): string => {
      const value = env[reference.valueFromEnv];
      if (!value) {
        problems.push(
          `servers[id=${server.id}].credentials.${field}: environment variable ${reference.valueFromEnv} is not set`,
        );
      }
      return value ?? '';
    };
    resolved.set(server.id, resolveSecrets(server.credentials, read));
  }
  if (problems.length > 0) throw new ConfigError(file, problems);
  return resolved;
}

function resolveSecrets(
  declared: DeclaredCredential,
  read: (reference: SecretReference, field: string) => string,
): ServerCredential {
  switch (declared.kind) {
    case 'api-key':
      return { kind: 'api-key', header: declared.header, value: read(declared.value, 'value') };
    case 'bearer':
      return { kind: 'bearer', token: read(declared.token, 'token') };
    case 'oauth-client-credentials':
    case 'token-exchange':
      return { ...declared, clientSecret: read(declared.clientSecret, 'clientSecret') };
    case 'env':
      return {
        kind: 'env',
        variables: Object.fromEntries(
          Object.entries(declared.variables).map(([name, reference]) => [
            name,
            read(reference, `variables.${name}`),
          ]),
        ),
      };
  }
}
