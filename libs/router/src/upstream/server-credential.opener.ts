import {
  type ServerCredential,
  ServerCredentialSchema,
  type ServerDefinitionValue,
} from '@gateway/contracts';
import type { EnvelopeCipher } from '@gateway/security';

/** A server's credential cannot be used here; the message says why and never holds a secret. */
export class UpstreamCredentialError extends Error {
  override readonly name = 'UpstreamCredentialError';
}

/**
 * The credential of a server definition in the clear, opened with this router's master key
 * (the registry sealed it for the context "server-credential:<server id>"); undefined when the
 * server has none.
 */
export function openServerCredential(
  definition: ServerDefinitionValue,
  cipher: EnvelopeCipher | undefined,
): ServerCredential | undefined {
  const sealed = definition.credentials;
  if (!sealed) return undefined;
  if (!cipher) {
    throw new UpstreamCredentialError(
      'its credentials are sealed and this router has no master key: set GATEWAY_MASTER_KEY or ' +
        'GATEWAY_MASTER_KEY_FILE (the key the registry seals with)',
    );
  }
  let text: string;
  try {
    text = cipher.decrypt(sealed.sealed, `server-credential:${definition.id}`);
  } catch (error) {
    throw new UpstreamCredentialError(
      `its credentials cannot be opened (${(error as Error).message}): this router needs the master key ` +
        'the registry sealed them with (GATEWAY_MASTER_KEY, or GATEWAY_MASTER_KEY_PREVIOUS after a rotation)',
    );
  }
  const parsed = ServerCredentialSchema.safeParse(JSON.parse(text));
  if (!parsed.success || parsed.data.kind !== sealed.kind) {
    throw new UpstreamCredentialError(`its credentials are not a valid ${sealed.kind} credential`);
  }
  return parsed.data;
}
