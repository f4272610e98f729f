import type { ServerCredential, ServerCredentialKind } from '@gateway/contracts';
import type { ServerCredentialSource } from './server-credential.entity';
import type { StoredServerCredential } from './server-credential.repository';

/** Settings of a credential that may be shown: names and addresses, never a secret. */
export type CredentialMetadata = Record<string, string | string[]>;

/** What the admin API shows of a credential: its kind and settings, never a secret. */
export interface ServerCredentialView {
  readonly kind: ServerCredentialKind;
  readonly configured: true;
  readonly source: ServerCredentialSource;
  readonly updatedAt: string;
  readonly metadata: CredentialMetadata;
}

/** The settings of a credential that are not secret (header and variable names, token endpoint, client id). */
export function credentialMetadata(credential: ServerCredential): CredentialMetadata {
  switch (credential.kind) {
    case 'api-key':
      return { header: credential.header };
    case 'bearer':
      return {};
    case 'oauth-client-credentials':
    case 'token-exchange': {
      const { tokenUrl, clientId, scope, audience, resource } = credential;
      return Object.fromEntries(
        Object.entries({ tokenUrl, clientId, scope, audience, resource }).filter(
          (entry): entry is [string, string] => entry[1] !== undefined,
        ),
      );
    }
    case 'env':
      return { variables: Object.keys(credential.variables).sort() };
  }
}

export function viewOf(stored: StoredServerCredential): ServerCredentialView {
  return {
    kind: stored.kind,
    configured: true,
    source: stored.source,
    updatedAt: stored.updatedAt.toISOString(),
    metadata: stored.metadata,
  };
}
