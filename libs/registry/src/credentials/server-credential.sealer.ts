import {
  type ServerCredential,
  ServerCredentialSchema,
  type ServerDefinitionValue,
} from '@gateway/contracts';
import type { EnvelopeCipher } from '@gateway/security';
import { MasterKeyMissingError } from './server-credential.errors';

/** What a catalog record carries of a credential: its kind and the envelope text. */
export type SealedCredential = NonNullable<ServerDefinitionValue['credentials']>;

/** The context a server's credential is sealed for: copied onto another server it does not open. */
export function serverCredentialContext(serverId: string): string {
  return `server-credential:${serverId}`;
}

/** Seals and opens server credentials with the master key, when one is configured. */
export class CredentialSealer {
  constructor(private readonly cipher: EnvelopeCipher | undefined) {}

  get configured(): boolean {
    return this.cipher !== undefined;
  }

  seal(serverId: string, credential: ServerCredential): SealedCredential {
    return {
      kind: credential.kind,
      sealed: this.requireCipher().encrypt(JSON.stringify(credential), serverCredentialContext(serverId)),
    };
  }

  open(serverId: string, sealed: SealedCredential): ServerCredential {
    const text = this.requireCipher().decrypt(sealed.sealed, serverCredentialContext(serverId));
    return ServerCredentialSchema.parse(JSON.parse(text));
  }

  /** Sealed with a retired master key: to be sealed again with the current one. */
  needsResealing(sealed: SealedCredential): boolean {
    return this.cipher !== undefined && this.cipher.needsResealing(sealed.sealed);
  }

  private requireCipher(): EnvelopeCipher {
    if (!this.cipher) throw new MasterKeyMissingError();
    return this.cipher;
  }
}
