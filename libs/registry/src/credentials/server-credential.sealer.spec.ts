import { randomBytes } from 'node:crypto';
import type { ServerCredential } from '@gateway/contracts';
import { EnvelopeCipher } from '@gateway/security';
import { CredentialSealer } from './server-credential.sealer';

const credentials: ServerCredential[] = [
  { kind: 'api-key', header: 'X-Api-Key', value: 'key-7f3a' },
  { kind: 'bearer', token: 'token-7f3a' },
  {
    kind: 'oauth-client-credentials',
    tokenUrl: 'https://auth.example/oauth/token',
    clientId: 'gateway',
    clientSecret: 'secret-7f3a',
    scope: 'tools:call',
    resource: 'https://mcp.example/mcp',
  },
  {
    kind: 'token-exchange',
    tokenUrl: 'https://auth.example/oauth/token',
    clientId: 'gateway',
    clientSecret: 'secret-7f3a',
    audience: 'crm',
  },
  { kind: 'env', variables: { GITHUB_TOKEN: 'ghp-7f3a', ORG: 'acme' } },
];

describe('CredentialSealer', () => {
  const sealer = new CredentialSealer(new EnvelopeCipher(randomBytes(32)));

  it.each(credentials.map((credential) => [credential.kind, credential] as const))(
    'seals a %s credential to text without its secrets, and opens it for the same server only',
    (kind, credential) => {
      const sealed = sealer.seal('crm', credential);
      expect(sealed.kind).toBe(kind);
      expect(sealed.sealed).not.toContain('7f3a');
      expect(sealed.sealed).not.toContain(JSON.stringify(credential).slice(1, 20));
      expect(sealer.open('crm', sealed)).toEqual(credential);
      expect(() => sealer.open('other-server', sealed)).toThrow(/cannot decrypt/);
    },
  );

  it('says which variables to set when it has no master key', () => {
    const keyless = new CredentialSealer(undefined);
    expect(keyless.configured).toBe(false);
    expect(() => keyless.seal('crm', credentials[1]!)).toThrow(
      /set GATEWAY_MASTER_KEY or GATEWAY_MASTER_KEY_FILE/,
    );
  });

  it('tells a credential sealed with a retired master key, which still opens', () => {
    const retired = randomBytes(32);
    const sealed = new CredentialSealer(new EnvelopeCipher(retired)).seal('crm', credentials[0]!);
    const rotated = new CredentialSealer(new EnvelopeCipher(randomBytes(32), [retired]));
    expect(rotated.needsResealing(sealed)).toBe(true);
    expect(rotated.open('crm', sealed)).toEqual(credentials[0]);
    expect(rotated.needsResealing(rotated.seal('crm', credentials[0]!))).toBe(false);
  });
});
