import { randomBytes } from 'node:crypto';
import type { ServerCredential } from '@gateway/contracts';
import { JsonRpcErrorCode } from '@gateway/mcp';
import { waitFor } from '@gateway/testing';
import { behindGate, CredentialTestbed, whoami } from './upstream-credentials.test-helper';
import {
  downstreamClient,
  resultJson,
  resultText,
  serverDefinition,
  serverEverything,
} from './upstream-fixture.test-helper';
import type { UpstreamPool } from './upstream-pool';
import type { UpstreamServer } from './upstream-session';

jest.setTimeout(60_000);

const testbed = new CredentialTestbed();
const client = downstreamClient();

beforeAll(() => testbed.start());
afterEach(() => testbed.afterEach());
afterAll(() => testbed.stop());

async function ready(pool: UpstreamPool, id: string): Promise<UpstreamServer> {
  return waitFor(() => (pool.get(id)?.state === 'ready' ? pool.get(id) : undefined), {
    description: `upstream ${id} connected`,
    onTimeout: () => `lastError: ${pool.get(id)?.lastError}`,
  });
}

describe('static credentials', () => {
  const token = `static-${randomBytes(8).toString('hex')}`;
  const bearer: ServerCredential = { kind: 'bearer', token };

  it('an upstream that requires a bearer token refuses the server without it (401) and serves it with it', async () => {
    const upstream = await testbed.gate((headers) => headers.authorization === `Bearer ${token}`);
    const servers = testbed.pool();
    await servers.apply(behindGate(upstream, { id: 'without' }));
    await waitFor(() => /401/.test(servers.get('without')!.lastError), {
      description: 'the refused connection',
      onTimeout: () => `lastError: ${servers.get('without')!.lastError}`,
    });
    expect(servers.get('without')!.state).not.toBe('ready');
    await expect(whoami(servers.get('without')!)).rejects.toMatchObject({
      code: JsonRpcErrorCode.upstreamUnavailable,
    });

    await servers.apply(behindGate(upstream, { id: 'with', credentials: testbed.sealed('with', bearer) }));
    expect(await whoami(await ready(servers, 'with'))).toMatchObject({ authorization: `Bearer ${token}` });
  });

  it.each(['sse', 'websocket'] as const)('%s carries the bearer token too', async (transport) => {
    const upstream = await testbed.gate((headers) => headers.authorization === `Bearer ${token}`);
    const servers = testbed.pool();
    await servers.apply(
      behindGate(upstream, { id: transport, transport, credentials: testbed.sealed(transport, bearer) }),
    );
    expect(await whoami(await ready(servers, transport))).toMatchObject({ authorization: `Bearer ${token}` });
    expect(upstream.refusals).toBe(0);
  });

  it('sends an API key in the header it names', async () => {
    const key = `key-${randomBytes(8).toString('hex')}`;
    const upstream = await testbed.gate((headers) => headers['x-api-key'] === key);
    const servers = testbed.pool();
    const credential: ServerCredential = { kind: 'api-key', header: 'X-Api-Key', value: key };
    await servers.apply(
      behindGate(upstream, { id: 'keyed', credentials: testbed.sealed('keyed', credential) }),
    );
    const result = await (
      await ready(servers, 'keyed')
    ).request('tools/call', { name: 'echo', arguments: { text: 'hi' } }, { client, timeoutMs: 5_000 });
    expect(resultText(result)).toBe('a:hi');
    expect(upstream.refusals).toBe(0);
  });

  it("gives a stdio server's process the variables of its env credential", async () => {
    const servers = testbed.pool();
    const variables = { GITHUB_TOKEN: `ghp-${randomBytes(8).toString('hex')}` };
    await servers.apply(
      serverDefinition({
        id: 'tools',
        transport: 'stdio',
        stdio: { command: 'node', args: [serverEverything, 'stdio'], env: { ORG: 'acme' } },
        credentials: testbed.sealed('tools', { kind: 'env', variables }),
      }),
    );
    const result = await (
      await ready(servers, 'tools')
    ).request('tools/call', { name: 'get-env' }, { client, timeoutMs: 10_000 });
    expect(resultJson(result)).toMatchObject({ ORG: 'acme', GITHUB_TOKEN: variables.GITHUB_TOKEN });
  });

  it('without a master key the router marks the server failed, says which variable to set, and never calls it', async () => {
    const upstream = await testbed.gate(() => true);
    const servers = testbed.pool({ withMasterKey: false });
    await servers.apply(
      behindGate(upstream, { id: 'sealed', credentials: testbed.sealed('sealed', bearer) }),
    );
    const server = servers.get('sealed')!;
    expect(server.state).toBe('stopped');
    expect(server.lastError).toMatch(/GATEWAY_MASTER_KEY/);
    expect(server.lastError).not.toContain(token);
    const failure = whoami(server);
    await expect(failure).rejects.toMatchObject({ code: JsonRpcErrorCode.upstreamUnavailable });
    await expect(failure).rejects.toThrow(/GATEWAY_MASTER_KEY/);
    expect(upstream.authorizations).toEqual([]);
  });
});
