import { type RegistryApi, ServerDefinitionSchema } from '@gateway/contracts';
import { fromProtoServer } from './catalog-follower.service';

describe('fromProtoServer', () => {
  it('turns protobuf defaults (empty strings) back into absent values', () => {
    expect(
      fromProtoServer({
        id: 'everything',
        name: 'everything',
        description: '',
        transport: 'stdio',
        stdio: { command: 'node', args: ['server.js', 'stdio'], env: {}, cwd: '' },
        http: undefined,
        enabled: true,
        revision: 3,
        timeouts: undefined,
        healthCheck: undefined,
        credentials: undefined,
      }),
    ).toEqual({
      id: 'everything',
      name: 'everything',
      description: undefined,
      transport: 'stdio',
      stdio: { command: 'node', args: ['server.js', 'stdio'], env: {}, cwd: undefined },
      http: undefined,
      sessions: undefined,
      failMode: undefined,
      timeouts: undefined,
      healthCheck: undefined,
      enabled: true,
      revision: 3,
    });
  });

  it('leaves absent optional fields undefined as proto-loader decodes them (null messages, empty lists)', () => {
    const decoded = {
      id: 'remote',
      name: 'remote',
      description: '',
      transport: 'streamable-http',
      stdio: null,
      http: { url: 'https://mcp.example.com/mcp', headers: {}, replicas: [] },
      enabled: true,
      revision: 1,
      timeouts: null,
      healthCheck: null,
    } as unknown as RegistryApi.ServerDefinition;
    const server = fromProtoServer(decoded);
    expect(server).toMatchObject({ stdio: undefined, timeouts: undefined, healthCheck: undefined });
    expect(server.http).toEqual({ url: 'https://mcp.example.com/mcp', headers: {}, replicas: undefined });
    expect(server.sessions).toBeUndefined();
    expect(server.failMode).toBeUndefined();
  });

  it('carries replicas, session mode, fail mode, timeouts and health check, without oneof markers', () => {
    const decoded = {
      id: 'remote',
      name: 'remote',
      description: 'Remote tools',
      transport: 'streamable-http',
      stdio: null,
      http: {
        url: 'https://a.example.com/mcp',
        headers: { Authorization: 'Bearer t' },
        replicas: ['https://b.example.com/mcp'],
      },
      enabled: true,
      revision: 2,
      sessions: 'shared',
      _sessions: 'sessions',
      failMode: 'closed',
      _failMode: 'failMode',
      timeouts: { listMs: 2000, _listMs: 'listMs' },
      healthCheck: { intervalMs: 10000, timeoutMs: 1000 },
    } as unknown as RegistryApi.ServerDefinition;
    const server = fromProtoServer(decoded);
    expect(ServerDefinitionSchema.strict().parse(server)).toEqual({
      id: 'remote',
      name: 'remote',
      description: 'Remote tools',
      transport: 'streamable-http',
      http: {
        url: 'https://a.example.com/mcp',
        headers: { Authorization: 'Bearer t' },
        replicas: ['https://b.example.com/mcp'],
      },
      sessions: 'shared',
      failMode: 'closed',
      timeouts: { listMs: 2000 },
      healthCheck: { intervalMs: 10000, timeoutMs: 1000 },
      enabled: true,
      revision: 2,
    });
    expect(server.timeouts).toEqual({ callMs: undefined, listMs: 2000 });
  });
});
