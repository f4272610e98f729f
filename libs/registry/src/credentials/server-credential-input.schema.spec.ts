import type { ServerDefinitionValue } from '@gateway/contracts';
import { ConfigError } from '@gateway/platform';
import { parseGatewayConfigFile } from '../registry-config';
import { resolveDeclaredCredentials } from './declared-credential.schema';
import { InvalidServerCredentialError } from './server-credential.errors';
import { parseCredentialBody } from './server-credentials.service';

const httpServer: ServerDefinitionValue = {
  id: 'crm',
  name: 'crm',
  transport: 'streamable-http',
  http: { url: 'https://crm.example/mcp', headers: { 'X-Team': 'sales' } },
  enabled: true,
  revision: 1,
};

function bodyProblems(body: unknown, server: ServerDefinitionValue = httpServer): readonly string[] {
  try {
    parseCredentialBody(body, server);
  } catch (error) {
    if (error instanceof InvalidServerCredentialError) return error.problems;
    throw error;
  }
  throw new Error('expected an InvalidServerCredentialError');
}

function fileProblems(lines: string[], env: NodeJS.ProcessEnv = {}): readonly string[] {
  try {
    const { servers } = parseGatewayConfigFile(lines.join('\n'), 'gateway.yaml', env);
    resolveDeclaredCredentials(servers, env, 'gateway.yaml');
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const remote = (credentials: string[], extra: string[] = []): string[] => [
  'servers:',
  '  - id: crm',
  '    transport: streamable-http',
  '    http: { url: "https://crm.example/mcp" }',
  ...extra,
  '    credentials:',
  ...credentials.map((line) => `      ${line}`),
];

describe('a credential in an admin API body', () => {
  it('takes each kind with its fields', () => {
    expect(parseCredentialBody({ kind: 'bearer', token: 't0k3n' }, httpServer)).toEqual({
      kind: 'bearer',
      token: 't0k3n',
    });
    expect(
      parseCredentialBody(
        {
          kind: 'token-exchange',
          tokenUrl: 'http://127.0.0.1:8443/token',
          clientId: 'gateway',
          clientSecret: 's',
          audience: 'crm',
        },
        httpServer,
      ),
    ).toMatchObject({ kind: 'token-exchange', audience: 'crm' });
  });

  it('names each field that breaks a rule', () => {
    expect(bodyProblems({ kind: 'password', value: 'x' })).toEqual([
      'kind: expected kind api-key, bearer, oauth-client-credentials, token-exchange or env',
    ]);
    expect(bodyProblems({ kind: 'bearer', token: 'Bearer abc', extra: 1 })).toEqual([
      'token: expected the token alone, without "Bearer "',
      'extra: unknown field',
    ]);
    expect(bodyProblems({ kind: 'api-key', header: 'Mcp-Session-Id', value: 'v' })).toEqual([
      'header: expected a header the MCP transport does not set itself',
    ]);
    expect(
      bodyProblems({
        kind: 'oauth-client-credentials',
        tokenUrl: 'http://auth.example/token',
        clientId: 'gateway',
        clientSecret: 's',
      }),
    ).toEqual(['tokenUrl: expected an https URL (http only on loopback): the client secret travels to it']);
  });

  it('fits the credential to the server: its transport, its sessions and its own headers', () => {
    expect(bodyProblems({ kind: 'env', variables: { TOKEN: 'x' } })).toEqual([
      'kind: kind env is for stdio servers, not streamable-http',
    ]);
    expect(
      bodyProblems(
        { kind: 'bearer', token: 'x' },
        { ...httpServer, transport: 'stdio', http: undefined, stdio: { command: 'node', args: [], env: {} } },
      ),
    ).toEqual(['kind: a stdio server takes its credentials as environment variables: kind env']);
    expect(
      bodyProblems(
        { kind: 'token-exchange', tokenUrl: 'https://auth.example/token', clientId: 'g', clientSecret: 's' },
        { ...httpServer, sessions: 'shared' },
      ),
    ).toEqual([
      'kind: token-exchange needs sessions: per-client (an upstream session belongs to one caller)',
    ]);
    expect(bodyProblems({ kind: 'api-key', header: 'x-team', value: 'v' })).toEqual([
      "header: the server's http.headers already set X-Team; remove one of the two",
    ]);
  });
});

describe('credentials in the config file', () => {
  it('reads every secret from the environment variable it names', () => {
    const { servers } = parseGatewayConfigFile(
      remote([
        'kind: oauth-client-credentials',
        'tokenUrl: https://auth.example/token',
        'clientId: gateway',
        'clientSecret: { valueFromEnv: CRM_CLIENT_SECRET }',
        'scope: tools',
      ]).join('\n'),
      'gateway.yaml',
      {},
    );
    expect(resolveDeclaredCredentials(servers, { CRM_CLIENT_SECRET: 's3cret' }, 'gateway.yaml')).toEqual(
      new Map([
        [
          'crm',
          {
            kind: 'oauth-client-credentials',
            tokenUrl: 'https://auth.example/token',
            clientId: 'gateway',
            clientSecret: 's3cret',
            scope: 'tools',
          },
        ],
      ]),
    );
  });

  it('refuses a secret written in the file, and names each unset variable', () => {
    expect(fileProblems(remote(['kind: bearer', 'token: written-here']))).toEqual([
      'servers.0.credentials.token: expected { valueFromEnv: NAME }: secrets are read from the environment, not written in the file',
    ]);
    expect(
      fileProblems([
        'servers:',
        '  - id: tools',
        '    transport: stdio',
        '    stdio: { command: node }',
        '    credentials:',
        '      kind: env',
        '      variables: { GITHUB_TOKEN: { valueFromEnv: GH_TOKEN }, ORG: { valueFromEnv: GH_ORG } }',
      ]),
    ).toEqual([
      'servers[id=tools].credentials.variables.GITHUB_TOKEN: environment variable GH_TOKEN is not set',
      'servers[id=tools].credentials.variables.ORG: environment variable GH_ORG is not set',
    ]);
  });

  it('fits the credential to the server as the API does', () => {
    expect(
      fileProblems(
        remote(
          [
            'kind: token-exchange',
            'tokenUrl: https://auth.example/token',
            'clientId: gateway',
            'clientSecret: { valueFromEnv: CRM_CLIENT_SECRET }',
          ],
          ['    sessions: shared'],
        ),
      ),
    ).toEqual([
      'servers.0.credentials.kind: token-exchange needs sessions: per-client (an upstream session belongs to one caller)',
    ]);
    expect(
      fileProblems([
        'servers:',
        '  - id: crm',
        '    transport: sse',
        '    http: { url: "https://crm.example/sse", bearerToken: abc }',
        '    credentials: { kind: bearer, token: { valueFromEnv: CRM_TOKEN } }',
      ]),
    ).toEqual([
      "servers.0.credentials.kind: the server's http.headers already set Authorization; remove one of the two",
    ]);
  });
});
