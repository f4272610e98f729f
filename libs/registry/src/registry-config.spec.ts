import { ServerDefinitionSchema } from '@gateway/contracts';
import { ConfigError } from '@gateway/platform';
import { toDefinition } from './catalog/catalog.service';
import { type DeclaredServer, parseGatewayConfigFile } from './registry-config';

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
    const { servers, virtualServers } = parseGatewayConfigFile(
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
    expect(virtualServers).toEqual([]);
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

describe('gateway config file: how each server is served', () => {
  const remote = (lines: string[]): string =>
    [
      'servers:',
      '  - id: remote',
      '    transport: streamable-http',
      ...lines.map((line) => `    ${line}`),
    ].join('\n');

  function onlyServer(text: string, env: NodeJS.ProcessEnv = {}): DeclaredServer {
    const [server] = parseGatewayConfigFile(text, file, env).servers;
    if (!server) throw new Error('expected one server');
    return server;
  }

  it('reads http.replicas, and rejects a bad or repeated replica URL', () => {
    expect(
      onlyServer(remote(['http: { url: "https://a.example/mcp", replicas: ["https://b.example/mcp"] }']))
        .http,
    ).toEqual({ url: 'https://a.example/mcp', headers: {}, replicas: ['https://b.example/mcp'] });
    expect(
      problemsOf(
        remote(['http: { url: "https://a.example/mcp", replicas: ["https://b.example/mcp", "b"] }']),
      ),
    ).toEqual(['servers.0.http.replicas.1: expected an http(s) or ws(s) URL']);
    expect(
      problemsOf(remote(['http: { url: "https://a.example/mcp", replicas: ["https://a.example/mcp"] }'])),
    ).toEqual(['servers.0.http.replicas.0: https://a.example/mcp is listed twice']);
    expect(problemsOf(remote(['http: { url: "https://a.example/mcp", replicas: [] }']))).toEqual([
      'servers.0.http.replicas: expected at least one URL, or no replicas key',
    ]);
  });

  it('turns http.bearerToken into an Authorization header, and refuses it beside one', () => {
    expect(
      onlyServer(
        remote(['http: { url: "https://a.example/mcp", headers: { X-Team: ops }, bearerToken: "${TOKEN}" }']),
        { TOKEN: 's3cret' },
      ).http,
    ).toEqual({ url: 'https://a.example/mcp', headers: { 'X-Team': 'ops', Authorization: 'Bearer s3cret' } });
    expect(
      problemsOf(
        remote([
          'http: { url: "https://a.example/mcp", headers: { authorization: "Basic x" }, bearerToken: t }',
        ]),
      ),
    ).toEqual(['servers.0.http.bearerToken: set either bearerToken or an Authorization header, not both']);
    expect(problemsOf(remote(['http: { url: "https://a.example/mcp", bearerToken: "Bearer t" }']))).toEqual([
      'servers.0.http.bearerToken: expected the token alone, without "Bearer "',
    ]);
    expect(problemsOf(remote(['http: { url: "https://a.example/mcp", bearerToken: "${TOKEN:-}" }']))).toEqual(
      ['servers.0.http.bearerToken: expected a token'],
    );
  });

  it('reads sessions: per-client or shared', () => {
    const http = 'http: { url: "https://a.example/mcp" }';
    expect(onlyServer(remote([http, 'sessions: shared'])).sessions).toBe('shared');
    expect(onlyServer(remote([http, 'sessions: per-client'])).sessions).toBe('per-client');
    expect(onlyServer(remote([http])).sessions).toBeUndefined();
    expect(problemsOf(remote([http, 'sessions: sticky']))).toEqual([
      'servers.0.sessions: expected per-client or shared',
    ]);
  });

  it('reads failMode: open or closed', () => {
    const http = 'http: { url: "https://a.example/mcp" }';
    expect(onlyServer(remote([http, 'failMode: closed'])).failMode).toBe('closed');
    expect(onlyServer(remote([http])).failMode).toBeUndefined();
    expect(problemsOf(remote([http, 'failMode: maybe']))).toEqual([
      'servers.0.failMode: expected open or closed',
    ]);
  });

  it('reads timeouts in whole milliseconds, also from a ${VAR}', () => {
    const http = 'http: { url: "https://a.example/mcp" }';
    expect(
      onlyServer(remote([http, 'timeouts: { callMs: "${CALL_MS}", listMs: 2000 }']), { CALL_MS: '90000' })
        .timeouts,
    ).toEqual({ callMs: 90_000, listMs: 2000 });
    expect(onlyServer(remote([http, 'timeouts: { listMs: 500 }'])).timeouts).toEqual({ listMs: 500 });
    expect(problemsOf(remote([http, 'timeouts: { callMs: 0, listMs: 1.5 }']))).toEqual([
      'servers.0.timeouts.callMs: expected a number of milliseconds above 0',
      'servers.0.timeouts.listMs: expected a whole number of milliseconds',
    ]);
    expect(problemsOf(remote([http, 'timeouts: { callMs: soon }']))).toEqual([
      'servers.0.timeouts.callMs: expected a whole number of milliseconds',
    ]);
    expect(problemsOf(remote([http, 'timeouts: { connectMs: 10 }']))[0]).toMatch(
      /^servers\.0\.timeouts: .*connectMs/,
    );
  });

  it('reads healthCheck with both intervals, the timeout no longer than the interval', () => {
    const http = 'http: { url: "https://a.example/mcp" }';
    expect(
      onlyServer(remote([http, 'healthCheck: { intervalMs: 10000, timeoutMs: 2000 }'])).healthCheck,
    ).toEqual({ intervalMs: 10_000, timeoutMs: 2000 });
    expect(problemsOf(remote([http, 'healthCheck: { intervalMs: 10000 }']))).toEqual([
      'servers.0.healthCheck.timeoutMs: expected a whole number of milliseconds',
    ]);
    expect(problemsOf(remote([http, 'healthCheck: { intervalMs: 1000, timeoutMs: 5000 }']))).toEqual([
      'servers.0.healthCheck.timeoutMs: expected at most intervalMs (1000): a probe ends before the next starts',
    ]);
  });

  it('carries every field into the catalog definition, which the catalog contract accepts', () => {
    const declared = onlyServer(
      remote([
        'http: { url: "https://a.example/mcp", replicas: ["https://b.example/mcp"], bearerToken: t }',
        'sessions: per-client',
        'failMode: closed',
        'timeouts: { callMs: 30000 }',
        'healthCheck: { intervalMs: 5000, timeoutMs: 1000 }',
      ]),
    );
    expect(
      ServerDefinitionSchema.strict().parse(JSON.parse(JSON.stringify(toDefinition(declared, 4)))),
    ).toEqual({
      id: 'remote',
      name: 'remote',
      transport: 'streamable-http',
      http: {
        url: 'https://a.example/mcp',
        headers: { Authorization: 'Bearer t' },
        replicas: ['https://b.example/mcp'],
      },
      sessions: 'per-client',
      failMode: 'closed',
      timeouts: { callMs: 30_000 },
      healthCheck: { intervalMs: 5000, timeoutMs: 1000 },
      enabled: true,
      revision: 4,
    });
  });
});
