import type { ServerCredential } from '@gateway/contracts';
import { JsonRpcErrorCode } from '@gateway/mcp';
import { waitFor } from '@gateway/testing';
import type { BearerGate } from './bearer-gate.test-helper';
import type { LoopbackTokenEndpoint } from './token-endpoint.test-helper';
import {
  bearerOf,
  behindGate,
  CredentialTestbed,
  tokenClient,
  whoami,
} from './upstream-credentials.test-helper';
import type { UpstreamPool } from './upstream-pool';
import type { UpstreamCaller, UpstreamServer } from './upstream-session';

jest.setTimeout(60_000);

const testbed = new CredentialTestbed();
const exchangeGrant = 'urn:ietf:params:oauth:grant-type:token-exchange';

beforeAll(() => testbed.start());
afterEach(() => testbed.afterEach());
afterAll(() => testbed.stop());

async function ready(pool: UpstreamPool, id: string): Promise<UpstreamServer> {
  return waitFor(() => (pool.get(id)?.state === 'ready' ? pool.get(id) : undefined), {
    description: `upstream ${id} connected`,
    onTimeout: () => `lastError: ${pool.get(id)?.lastError}`,
  });
}

describe('OAuth client credentials', () => {
  const credential = (tokenUrl: string, clientSecret = tokenClient.clientSecret): ServerCredential => ({
    kind: 'oauth-client-credentials',
    tokenUrl,
    clientId: tokenClient.clientId,
    clientSecret,
    scope: 'tools:call',
    audience: 'crm-api',
    resource: 'https://crm.example/mcp',
  });

  it('gets one token for many calls, with the scope, audience and resource, and the upstream only sees it', async () => {
    const endpoint = await testbed.tokenEndpoint();
    const upstream = await testbed.gate((headers) => endpoint.holderOf(bearerOf(headers)) === 'client');
    const servers = testbed.pool();
    await servers.apply(
      behindGate(upstream, { id: 'oauth', credentials: testbed.sealed('oauth', credential(endpoint.url)) }),
    );
    const server = await ready(servers, 'oauth');
    const seen = await Promise.all(Array.from({ length: 5 }, () => whoami(server)));

    expect(endpoint.grants('client_credentials')).toHaveLength(1);
    expect(endpoint.grants('client_credentials')[0]!.form).toEqual({
      grant_type: 'client_credentials',
      scope: 'tools:call',
      audience: 'crm-api',
      resource: 'https://crm.example/mcp',
    });
    expect(new Set(seen.map((whoami) => whoami.authorization)).size).toBe(1);
    expect(endpoint.holderOf(bearerOf({ authorization: seen[0]!.authorization }))).toBe('client');
    expect(upstream.refusals).toBe(0);
  });

  it('after the upstream refuses the token (401), gets a new one and sends the request once more', async () => {
    const endpoint = await testbed.tokenEndpoint();
    const upstream = await testbed.gate((headers) => endpoint.holderOf(bearerOf(headers)) === 'client');
    const servers = testbed.pool();
    await servers.apply(
      behindGate(upstream, { id: 'oauth', credentials: testbed.sealed('oauth', credential(endpoint.url)) }),
    );
    const server = await ready(servers, 'oauth');
    const first = (await whoami(server)).authorization!;
    endpoint.revoke(bearerOf({ authorization: first }));

    const second = (await whoami(server)).authorization!;
    expect(second).not.toBe(first);
    expect(endpoint.holderOf(bearerOf({ authorization: second }))).toBe('client');
    expect(endpoint.grants('client_credentials')).toHaveLength(2);
    expect(upstream.refusals).toBe(1);
  });

  it('over WebSocket, an upgrade refused for its token is tried once more with a new one', async () => {
    const endpoint = await testbed.tokenEndpoint();
    const upstream = await testbed.gate((headers) => endpoint.holderOf(bearerOf(headers)) === 'client');
    const servers = testbed.pool();
    const definition = { id: 'socket', transport: 'websocket' as const };
    await servers.apply(
      behindGate(upstream, {
        ...definition,
        credentials: testbed.sealed('socket', credential(endpoint.url)),
      }),
    );
    const server = await ready(servers, 'socket');
    const first = (await whoami(server, { sessionKey: 'first' })).authorization!;
    endpoint.revoke(bearerOf({ authorization: first }));

    const second = (await whoami(server, { sessionKey: 'second' })).authorization!;
    expect(endpoint.holderOf(bearerOf({ authorization: second }))).toBe('client');
    expect(endpoint.grants('client_credentials')).toHaveLength(2);
    expect(upstream.refusals).toBe(1);
  });

  it('a client the endpoint does not accept leaves the server failed, naming the error and never the secret', async () => {
    const endpoint = await testbed.tokenEndpoint();
    const upstream = await testbed.gate((headers) => endpoint.holderOf(bearerOf(headers)) === 'client');
    const servers = testbed.pool();
    const wrong = credential(endpoint.url, 'not-the-secret-4c2d');
    await servers.apply(behindGate(upstream, { id: 'oauth', credentials: testbed.sealed('oauth', wrong) }));
    await waitFor(() => /invalid_client/.test(servers.get('oauth')!.lastError), {
      description: 'the refused client credentials',
      onTimeout: () => `lastError: ${servers.get('oauth')!.lastError}`,
    });
    expect(servers.get('oauth')!.lastError).not.toContain('not-the-secret-4c2d');
    expect(upstream.authorizations).toEqual([]);
  });
});

describe('token exchange', () => {
  const subjects = { 'agent-token-alice': 'alice', 'agent-token-bob': 'bob' };
  const alice: UpstreamCaller = { principal: 'agent:alice', subjectToken: 'agent-token-alice' };
  const bob: UpstreamCaller = { principal: 'agent:bob', subjectToken: 'agent-token-bob' };

  async function exchangeServer(): Promise<{
    endpoint: LoopbackTokenEndpoint;
    upstream: BearerGate;
    server: UpstreamServer;
  }> {
    const endpoint = await testbed.tokenEndpoint(subjects);
    const upstream = await testbed.gate((headers) => endpoint.holderOf(bearerOf(headers)) !== undefined);
    const servers = testbed.pool();
    const credential: ServerCredential = {
      kind: 'token-exchange',
      tokenUrl: endpoint.url,
      ...tokenClient,
      audience: 'crm-api',
    };
    await servers.apply(
      behindGate(upstream, { id: 'exchange', credentials: testbed.sealed('exchange', credential) }),
    );
    return { endpoint, upstream, server: await ready(servers, 'exchange') };
  }

  it("each caller's requests carry a token exchanged for that caller; the agent's own token never reaches the upstream", async () => {
    const { endpoint, upstream, server } = await exchangeServer();
    const asAlice = await whoami(server, { caller: alice, sessionKey: 'session-alice' });
    const asBob = await whoami(server, { caller: bob, sessionKey: 'session-bob' });
    const again = await whoami(server, { caller: alice, sessionKey: 'session-alice' });

    const token = (seen: { authorization?: string }): string =>
      bearerOf({ authorization: seen.authorization });
    expect(endpoint.holderOf(token(asAlice))).toBe('alice');
    expect(endpoint.holderOf(token(asBob))).toBe('bob');
    expect(endpoint.audienceOf(token(asAlice))).toBe('crm-api');
    expect(token(again)).toBe(token(asAlice));

    const exchanges = endpoint.grants(exchangeGrant);
    expect(exchanges.map((request) => request.form)).toEqual([
      {
        grant_type: exchangeGrant,
        subject_token: 'agent-token-alice',
        subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
        requested_token_type: 'urn:ietf:params:oauth:token-type:access_token',
        audience: 'crm-api',
      },
      expect.objectContaining({ subject_token: 'agent-token-bob', audience: 'crm-api' }),
    ]);
    expect(upstream.authorizations.length).toBeGreaterThan(0);
    for (const authorization of upstream.authorizations) expect(authorization).not.toMatch(/agent-token/);
    for (const seen of [asAlice, asBob, again]) expect(seen.authorization).not.toMatch(/agent-token/);
  });

  it('denies a caller with no token to exchange, or one the token endpoint refuses (403)', async () => {
    const { endpoint, server } = await exchangeServer();
    const apiKeyCaller: UpstreamCaller = { principal: 'agent:ci', subjectToken: '' };
    await expect(whoami(server, { caller: apiKeyCaller, sessionKey: 'session-ci' })).rejects.toMatchObject({
      code: JsonRpcErrorCode.accessDenied,
    });
    const stranger: UpstreamCaller = { principal: 'agent:mallory', subjectToken: 'agent-token-mallory' };
    const refused = whoami(server, { caller: stranger, sessionKey: 'session-mallory' });
    await expect(refused).rejects.toMatchObject({ code: JsonRpcErrorCode.accessDenied });
    await expect(refused).rejects.toThrow(/invalid_grant/);
    expect(endpoint.grants(exchangeGrant).map((request) => request.form['subject_token'])).toEqual([
      'agent-token-mallory',
    ]);
  });
});
