import { loadSync } from '@grpc/proto-loader';
import {
  CatalogRecord,
  GrpcPackages,
  protoLoaderOptions,
  type ServerDefinitionValue,
  VirtualServerRecord,
} from '@gateway/contracts';
import { toProtoServer, toProtoVirtualServer } from './registry.grpc-controller';

/** A response as the data plane receives it: encoded by the server, decoded with the gateway's loader options. */
function overTheWire(method: 'ListServers' | 'ListVirtualServers', response: object): unknown {
  const service = loadSync(GrpcPackages.registry.protoPath, protoLoaderOptions)[
    `${GrpcPackages.registry.package}.${GrpcPackages.registry.service}`
  ] as Record<
    string,
    { responseSerialize: (value: object) => Buffer; responseDeserialize: (bytes: Buffer) => unknown }
  >;
  const definition = service[method];
  if (!definition) throw new Error(`no method ${method}`);
  return definition.responseDeserialize(definition.responseSerialize(response));
}

describe('registry gRPC mapping', () => {
  it('sends every field of a server definition, the optional ones included', () => {
    const server: ServerDefinitionValue = {
      id: 'remote',
      name: 'remote',
      description: 'Remote tools',
      transport: 'streamable-http',
      http: {
        url: 'https://a.example/mcp',
        headers: { Authorization: 'Bearer t' },
        replicas: ['https://b.example/mcp'],
      },
      sessions: 'shared',
      failMode: 'closed',
      timeouts: { callMs: 30_000, listMs: 2_000 },
      healthCheck: { intervalMs: 10_000, timeoutMs: 1_000 },
      credentials: { kind: 'token-exchange', sealed: 'v1.0123456789ab.d3JhcHBlZA.Ym9keQ' },
      enabled: true,
      revision: 5,
    };
    expect(overTheWire('ListServers', { servers: [toProtoServer(server)] })).toEqual({
      servers: [
        expect.objectContaining({
          ...server,
          stdio: null,
          timeouts: expect.objectContaining(server.timeouts),
        }),
      ],
    });
  });

  it('leaves the optional fields of a server out when it has none', () => {
    const [decoded] = (
      overTheWire('ListServers', { servers: [toProtoServer(CatalogRecord.example.server)] }) as {
        servers: Record<string, unknown>[];
      }
    ).servers;
    expect(decoded).toMatchObject({ http: null, timeouts: null, healthCheck: null, credentials: null });
    expect(decoded).not.toHaveProperty('sessions');
    expect(decoded).not.toHaveProperty('failMode');
  });

  it('sends a virtual server with its aliases and overrides, absent lists as empty ones', () => {
    const { virtualServer } = VirtualServerRecord.example;
    expect(
      overTheWire('ListVirtualServers', {
        virtualServers: [
          toProtoVirtualServer(virtualServer),
          toProtoVirtualServer({ name: 'bare', revision: 1 }),
        ],
      }),
    ).toEqual({
      virtualServers: [
        expect.objectContaining({
          ...virtualServer,
          tools: [expect.objectContaining(virtualServer.tools![0])],
          prompts: [expect.objectContaining(virtualServer.prompts![0])],
        }),
        { name: 'bare', servers: [], tools: [], resources: [], prompts: [], revision: 1 },
      ],
    });
  });
});
