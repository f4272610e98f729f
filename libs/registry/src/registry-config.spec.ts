import { ConfigError } from '@gateway/platform';
import { parseGatewayConfigFile } from './registry-config';

const file = 'gateway.yaml';

function problemsOf(text: string, env: NodeJS.ProcessEnv = {}): readonly string[] {
  try {
    parseGatewayConfigFile(text, file, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('gateway config file', () => {
  it('reads stdio and HTTP servers, interpolating ${VAR} and ${VAR:-default} in values only', () => {
    const servers = parseGatewayConfigFile(
      [
        '# comments may mention ${UNSET_VARIABLE}',
        'servers:',
        '  - id: everything',
        '    transport: stdio',
        '    stdio: { command: node, args: ["${ROOT:-.}/server.js", stdio], env: { TOKEN: "${TOKEN}" } }',
        '  - id: remote',
        '    name: remote_api',
        '    transport: streamable-http',
        '    http: { url: "https://mcp.example.com/mcp" }',
      ].join('\n'),
      file,
      { TOKEN: 'secret' },
    );
    expect(servers).toEqual([
      {
        id: 'everything',
        enabled: true,
        transport: 'stdio',
        stdio: { command: 'node', args: ['./server.js', 'stdio'], env: { TOKEN: 'secret' } },
      },
      {
        id: 'remote',
        name: 'remote_api',
        enabled: true,
        transport: 'streamable-http',
        http: { url: 'https://mcp.example.com/mcp', headers: {} },
      },
    ]);
  });

  it('names the key and the expected form of a bad value', () => {
    expect(problemsOf('servers:\n  - id: x\n    transport: pigeon\n')).toContain(
      'servers.0.transport: expected one of stdio, streamable-http, sse, websocket',
    );
    expect(problemsOf('servers:\n  - id: x\n    transport: stdio\n')).toContain(
      'servers.0.stdio: required when transport is stdio',
    );
    expect(
      problemsOf('servers:\n  - id: "has space"\n    transport: sse\n    http: { url: "http://h/sse" }\n')[0],
    ).toMatch(/^servers\.0\.id: expected an id/);
  });

  it('rejects duplicate server names, unknown keys, invalid YAML and unset variables', () => {
    const server = '  - id: a\n    transport: sse\n    http: { url: "http://h/sse" }\n';
    expect(problemsOf(`servers:\n${server}${server}`)).toContain('servers.1.name: duplicate server name "a"');
    expect(problemsOf('servers: []\nserverz: []\n')[0]).toMatch(/serverz/);
    expect(problemsOf('servers: [\n')[0]).toMatch(/^not valid YAML/);
    expect(
      problemsOf('servers:\n  - id: "${MISSING}"\n    transport: sse\n    http: { url: "http://h/sse" }\n'),
    ).toEqual(['${MISSING}: environment variable MISSING is not set and has no default']);
  });
});
