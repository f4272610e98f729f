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
      }),
    ).toEqual({
      id: 'everything',
      name: 'everything',
      description: undefined,
      transport: 'stdio',
      stdio: { command: 'node', args: ['server.js', 'stdio'], env: {}, cwd: undefined },
      http: undefined,
      enabled: true,
      revision: 3,
    });
  });
});
