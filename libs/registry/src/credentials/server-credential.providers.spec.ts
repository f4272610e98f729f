import { randomBytes } from 'node:crypto';
import { ConfigError } from '@gateway/platform';
import { EnvelopeCipher } from '@gateway/security';
import { parseGatewayConfigFile, type RegistryConfig } from '../registry-config';
import { loadDeclaredCredentials } from './server-credential.providers';
import { CredentialSealer } from './server-credential.sealer';

function config(lines: string[]): RegistryConfig {
  const { servers } = parseGatewayConfigFile(['servers:', ...lines].join('\n'), 'gateway.yaml', {});
  return { configFile: 'gateway.yaml', servers, virtualServers: [], grpcAddress: '' };
}

const withCredential = config([
  '  - id: crm',
  '    transport: streamable-http',
  '    http: { url: "https://crm.example/mcp" }',
  '    credentials: { kind: bearer, token: { valueFromEnv: CRM_TOKEN } }',
]);

describe('loading the declared credentials at start', () => {
  it('reads them with the master key configured', () => {
    const sealer = new CredentialSealer(new EnvelopeCipher(randomBytes(32)));
    expect(loadDeclaredCredentials(withCredential, { CRM_TOKEN: 't' }, sealer).get('crm')).toEqual({
      kind: 'bearer',
      token: 't',
    });
  });

  it('stops the start naming the master key variables when none is set', () => {
    const load = (): unknown =>
      loadDeclaredCredentials(withCredential, { CRM_TOKEN: 't' }, new CredentialSealer(undefined));
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(
      'GATEWAY_MASTER_KEY: servers crm declare credentials, which are stored sealed with the master key: set GATEWAY_MASTER_KEY or GATEWAY_MASTER_KEY_FILE',
    );
  });

  it('needs no master key when no server declares credentials', () => {
    const plain = config(['  - id: tools', '    transport: stdio', '    stdio: { command: node }']);
    expect(loadDeclaredCredentials(plain, {}, new CredentialSealer(undefined)).size).toBe(0);
  });
});
