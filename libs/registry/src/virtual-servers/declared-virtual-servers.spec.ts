import { ConfigError } from '@gateway/platform';
import { parseGatewayConfigFile } from '../registry-config';

const file = 'gateway.yaml';

const servers = [
  'servers:',
  '  - id: everything',
  '    transport: stdio',
  '    stdio: { command: node }',
  '  - id: remote-1',
  '    name: remote',
  '    transport: streamable-http',
  '    http: { url: "https://mcp.example.com/mcp" }',
].join('\n');

function withVirtualServers(lines: string[]): string {
  return `${servers}\nvirtualServers:\n${lines.join('\n')}\n`;
}

function problemsOf(text: string): readonly string[] {
  try {
    parseGatewayConfigFile(text, file, {});
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('gateway config file: virtualServers', () => {
  it('reads a virtual server with whole servers, aliased tools, resources and prompts', () => {
    const { virtualServers } = parseGatewayConfigFile(
      withVirtualServers([
        '  - name: support',
        '    description: What the support agents may use',
        '    servers: [remote]',
        '    tools:',
        '      - { server: everything, name: echo, alias: say, description: Repeats it }',
        '      - { server: everything, name: add }',
        '    resources: [{ server: everything, uri: "demo://resource/static/document/architecture.md" }]',
        '    prompts: [{ server: everything, name: simple-prompt, alias: hello }]',
        '  - name: empty',
      ]),
      file,
      {},
    );
    expect(virtualServers).toEqual([
      {
        name: 'support',
        description: 'What the support agents may use',
        servers: ['remote'],
        tools: [
          { server: 'everything', name: 'echo', alias: 'say', description: 'Repeats it' },
          { server: 'everything', name: 'add' },
        ],
        resources: [{ server: 'everything', uri: 'demo://resource/static/document/architecture.md' }],
        prompts: [{ server: 'everything', name: 'simple-prompt', alias: 'hello' }],
      },
      { name: 'empty' },
    ]);
  });

  it('flags every reference to a server the file does not declare, hinting at a server id', () => {
    expect(
      problemsOf(
        withVirtualServers([
          '  - name: support',
          '    servers: [remote, github]',
          '    tools: [{ server: remote-1, name: search }]',
          '    resources: [{ server: files, uri: "file:///a" }]',
          '    prompts: [{ server: everything, name: p }, { server: jira, name: q }]',
        ]),
      ),
    ).toEqual([
      'virtualServers.0.servers.1: no server named "github" in servers',
      'virtualServers.0.tools.0.server: no server named "remote-1" in servers (the server with id "remote-1" is named "remote")',
      'virtualServers.0.resources.0.server: no server named "files" in servers',
      'virtualServers.0.prompts.1.server: no server named "jira" in servers',
    ]);
  });

  it('rejects an alias given twice, an entry listed twice and a repeated virtual server name', () => {
    expect(
      problemsOf(
        withVirtualServers([
          '  - name: support',
          '    servers: [remote, remote]',
          '    tools:',
          '      - { server: everything, name: echo, alias: say }',
          '      - { server: remote, name: shout, alias: say }',
          '      - { server: everything, name: echo }',
          '    prompts: [{ server: everything, name: a, alias: p }, { server: remote, name: b, alias: p }]',
          '    resources: [{ server: remote, uri: "x://1" }, { server: remote, uri: "x://1" }]',
          '  - name: support',
        ]),
      ),
    ).toEqual([
      'virtualServers.0.servers.1: "remote" is already listed as servers.0',
      'virtualServers.0.tools.2.name: "echo" of server "everything" is already listed as tools.0',
      'virtualServers.0.tools.1.alias: alias "say" is already given to tools.0',
      'virtualServers.0.prompts.1.alias: alias "p" is already given to prompts.0',
      'virtualServers.0.resources.1.uri: "x://1" of server "remote" is already listed as resources.0',
      'virtualServers.1.name: duplicate virtual server name "support"',
    ]);
  });

  it('names a bad name, alias or entry and an unknown key', () => {
    expect(
      problemsOf(
        withVirtualServers([
          '  - name: "has space"',
          '    tools: [{ server: remote, name: "", alias: "a.b" }]',
          '    prompt: []',
        ]),
      ),
    ).toEqual([
      'virtualServers.0.name: expected 1-64 characters of letters, digits, "_" or "-"',
      "virtualServers.0.tools.0.name: expected the tool's name on its server",
      'virtualServers.0.tools.0.alias: expected 1-64 characters of letters, digits, "_" or "-"',
      'virtualServers.0: Unrecognized key: "prompt"',
    ]);
  });
});
