import { randomBytes } from 'node:crypto';
import type { ServerCredential, ServerDefinitionValue } from '@gateway/contracts';
import { EnvelopeCipher } from '@gateway/security';
import { openServerCredential } from './server-credential.opener';

const cipher = new EnvelopeCipher(randomBytes(32));
const credential: ServerCredential = { kind: 'bearer', token: 'opener-secret' };

function definitionWith(sealed: string, kind: ServerCredential['kind'] = 'bearer'): ServerDefinitionValue {
  return {
    id: 'crm',
    name: 'crm',
    transport: 'sse',
    http: { url: 'https://crm.example/sse', headers: {} },
    credentials: { kind, sealed },
    enabled: true,
    revision: 1,
  };
}

describe('openServerCredential', () => {
  const sealed = cipher.encrypt(JSON.stringify(credential), 'server-credential:crm');

  it('opens what the registry sealed for the server', () => {
    expect(openServerCredential(definitionWith(sealed), cipher)).toEqual(credential);
    expect(
      openServerCredential({ ...definitionWith(sealed), credentials: undefined }, undefined),
    ).toBeUndefined();
  });

  it('says which variable to set when the router has no master key', () => {
    expect(() => openServerCredential(definitionWith(sealed), undefined)).toThrow(
      /no master key: set GATEWAY_MASTER_KEY or GATEWAY_MASTER_KEY_FILE/,
    );
  });

  it('refuses text sealed with another key, for another server, or of another kind, without a secret in the message', () => {
    const failures = [
      () => openServerCredential(definitionWith(sealed), new EnvelopeCipher(randomBytes(32))),
      () =>
        openServerCredential(
          definitionWith(cipher.encrypt(JSON.stringify(credential), 'server-credential:other')),
          cipher,
        ),
      () => openServerCredential(definitionWith(sealed, 'api-key'), cipher),
    ];
    for (const failure of failures) {
      expect(failure).toThrow(/its credentials/);
      try {
        failure();
      } catch (error) {
        expect((error as Error).message).not.toContain('opener-secret');
      }
    }
  });
});
