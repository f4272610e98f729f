import type { Transport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import type { ServerDefinitionValue } from '@gateway/contracts';
import { JsonRpcErrorCode } from '@gateway/mcp';
import { waitFor } from '@gateway/testing';
import { type ClientTransportFactory, createClientTransport } from './client-transport.factory';
import {
  downstreamClient,
  RecordingHooks,
  resultJson,
  resultText,
  serverDefinition,
  serverEverything,
  testRouterConfig,
  UpstreamFixture,
} from './upstream-fixture.test-helper';
import { UpstreamPool } from './upstream-pool';

jest.setTimeout(60_000);

const authorization = { Authorization: 'Bearer upstream-secret' };
const sampled = { role: 'assistant', model: 'test-model', content: { type: 'text', text: 'sampled!' } };

let legacy: UpstreamFixture;
let modern: UpstreamFixture;
let pool: UpstreamPool;
const transports: Transport[] = [];
const capture: ClientTransportFactory = (server, url, hooks) => {
  const transport = createClientTransport(server, url, hooks);
  transports.push(transport);
  return transport;
};

const definitions = (): ServerDefinitionValue[] => [
  serverDefinition({
    id: 'stdio',
    transport: 'stdio',
    stdio: { command: 'node', args: [serverEverything, 'stdio'], env: {} },
  }),
  serverDefinition({
    id: 'streamable',
    transport: 'streamable-http',
    sessions: 'shared',
    http: { url: legacy.url(), headers: authorization },
  }),
  serverDefinition({ id: 'modern', transport: 'streamable-http', http: { url: modern.url(), headers: {} } }),
  serverDefinition({
    id: 'sse',
    transport: 'sse',
    http: { url: legacy.url('/sse'), headers: authorization },
  }),
  serverDefinition({
    id: 'websocket',
    transport: 'websocket',
    http: { url: legacy.url('/ws').replace('http:', 'ws:'), headers: authorization },
  }),
];

beforeAll(async () => {
  [legacy, modern] = await Promise.all([UpstreamFixture.start('legacy'), UpstreamFixture.start('modern')]);
  pool = new UpstreamPool(testRouterConfig, {}, capture);
  await Promise.all(definitions().map((definition) => pool.apply(definition)));
  await waitFor(() => pool.all().every((server) => server.state === 'ready'), {
    timeoutMs: 30_000,
    description: 'every upstream connected',
  });
});

afterAll(async () => {
  await pool?.onApplicationShutdown();
  await Promise.all([legacy?.stop(), modern?.stop()]);
});

const client = downstreamClient();

describe('one tools/call round trip per transport', () => {
  it.each([
    ['stdio', 'legacy', 'echo', { message: 'hi' }, 'Echo: hi'],
    ['streamable', 'legacy', 'echo', { text: 'hi' }, 'a:hi'],
    ['modern', 'modern', 'echo', { text: 'hi' }, 'modern:hi'],
    ['sse', 'legacy', 'echo', { text: 'hi' }, 'a:hi'],
    ['websocket', 'legacy', 'echo', { text: 'hi' }, 'a:hi'],
  ])('%s (detected era %s)', async (id, era, name, args, expected) => {
    const server = pool.get(id)!;
    const result = await server.request(
      'tools/call',
      { name, arguments: args },
      { client, timeoutMs: 5_000 },
    );
    expect(resultText(result)).toBe(expected);
    expect(server.era).toBe(era);
    expect(server.capabilities(client.era)).toMatchObject({ tools: expect.any(Object) });
  });

  it.each(['streamable', 'sse', 'websocket'])(
    '%s sends the configured headers with every request',
    async (id) => {
      const result = await pool
        .get(id)!
        .request('tools/call', { name: 'whoami' }, { client, timeoutMs: 5_000 });
      expect(resultJson(result)).toMatchObject({ authorization: 'Bearer upstream-secret' });
    },
  );

  it('gives a modern caller the raw 2026-07-28 result, resultType included', async () => {
    const modernClient = downstreamClient({ era: 'modern', protocolVersion: '2026-07-28' });
    const result = await pool
      .get('modern')!
      .request(
        'tools/call',
        { name: 'echo', arguments: { text: 'x' } },
        { client: modernClient, timeoutMs: 5_000 },
      );
    expect(result).toMatchObject({ resultType: 'complete', content: [{ type: 'text', text: 'modern:x' }] });
  });
});

describe('progress', () => {
  it.each([
    ['stdio', 'trigger-long-running-operation', { duration: 1, steps: 4 }],
    ['streamable', 'progress', { steps: 4, intervalMs: 250 }],
    ['modern', 'progress', { steps: 4 }],
  ])('%s: reaches the caller with its own token; each one resets the deadline', async (id, name, args) => {
    const hooks = new RecordingHooks();
    const result = await pool
      .get(id)!
      .request(
        'tools/call',
        { name, arguments: args, _meta: { progressToken: 'caller-token' } },
        { client, timeoutMs: 400, hooks },
      );
    expect(result['isError']).toBeFalsy();
    expect(hooks.progress().map((progress) => [progress['progressToken'], progress['progress']])).toEqual([
      ['caller-token', 1],
      ['caller-token', 2],
      ['caller-token', 3],
      ['caller-token', 4],
    ]);
  });

  it('keeps the progress of two callers apart when they share a session and a token', async () => {
    const server = pool.get('streamable')!;
    const [first, second] = [new RecordingHooks(), new RecordingHooks()];
    const call = (steps: number, hooks: RecordingHooks) =>
      server.request(
        'tools/call',
        { name: 'progress', arguments: { steps, intervalMs: 30 }, _meta: { progressToken: 'same' } },
        { client, timeoutMs: 5_000, hooks },
      );
    const results = await Promise.all([call(2, first), call(5, second)]);
    expect(first.progress().map((progress) => progress['progress'])).toEqual([1, 2]);
    expect(second.progress().map((progress) => progress['progress'])).toEqual([1, 2, 3, 4, 5]);
    // The upstream saw tokens of the gateway's own, unique in the session.
    const seen = results.map((result) => resultJson(result)['progressToken']);
    expect(new Set(seen).size).toBe(2);
    expect(seen).not.toContain('same');
  });

  it('fails with -32011 naming the server when no answer and no progress comes in time', async () => {
    await expect(
      pool
        .get('streamable')!
        .request('tools/call', { name: 'slow', arguments: { ms: 3_000 } }, { client, timeoutMs: 200 }),
    ).rejects.toMatchObject({
      code: JsonRpcErrorCode.upstreamTimeout,
      message: expect.stringContaining('"streamable"'),
    });
  });
});

describe('server-to-client requests', () => {
  it.each([
    ['stdio', 'trigger-sampling-request', { prompt: 'hello', maxTokens: 5 }],
    ['streamable', 'sample', { prompt: 'hello' }],
    ['websocket', 'sample', { prompt: 'hello' }],
  ])(
    '%s: sampling during a call reaches hooks.onRequest and the answer reaches the upstream',
    async (id, name, args) => {
      const hooks = new RecordingHooks(() => sampled);
      const result = await pool
        .get(id)!
        .request('tools/call', { name, arguments: args }, { client, timeoutMs: 5_000, hooks });
      expect(hooks.requests.map((request) => request.method)).toEqual(['sampling/createMessage']);
      expect(resultText(result)).toContain('sampled!');
    },
  );

  it('delivers logging related to the call to its hooks', async () => {
    const hooks = new RecordingHooks(() => sampled);
    await pool
      .get('streamable')!
      .request(
        'tools/call',
        { name: 'sample', arguments: { prompt: 'p' } },
        { client, timeoutMs: 5_000, hooks },
      );
    expect(hooks.notifications).toContainEqual({
      method: 'notifications/message',
      params: { level: 'info', data: 'sampling for p' },
    });
  });

  it('answers a request nobody can take with a JSON-RPC error the upstream sees', async () => {
    const result = await pool
      .get('streamable')!
      .request('tools/call', { name: 'sample', arguments: { prompt: 'p' } }, { client, timeoutMs: 5_000 });
    expect(result['isError']).toBe(true);
    expect(resultText(result)).toContain(
      'cannot answer sampling/createMessage from upstream server "streamable"',
    );
  });

  it('passes a GatewayError thrown by the hooks to the upstream', async () => {
    const hooks = new RecordingHooks(() => {
      throw Object.assign(new Error('the user declined'), { code: -32001 });
    });
    const result = await pool
      .get('streamable')!
      .request(
        'tools/call',
        { name: 'sample', arguments: { prompt: 'p' } },
        { client, timeoutMs: 5_000, hooks },
      );
    expect(resultText(result)).toContain('the user declined');
  });
});

describe('cancellation', () => {
  const legacyStats = () => legacy.control<{ calls: Record<string, number>; cancelled: string[] }>('stats');
  const modernStats = () => modern.control<{ slowStarted: number; cancelled: number }>('stats');
  it.each([
    [
      'streamable',
      async () => (await legacyStats()).calls['slow'] ?? 0,
      async () => (await legacyStats()).cancelled.length,
    ],
    ['modern', async () => (await modernStats()).slowStarted, async () => (await modernStats()).cancelled],
  ])('%s: aborting the signal cancels the call upstream', async (id, startedCount, cancelledCount) => {
    const [started, cancelled] = [await startedCount(), await cancelledCount()];
    const abort = new AbortController();
    const call = pool
      .get(id)!
      .request(
        'tools/call',
        { name: 'slow', arguments: { ms: 10_000 } },
        { client, timeoutMs: 20_000, signal: abort.signal },
      );
    const outcome = expect(call).rejects.toMatchObject({
      data: expect.objectContaining({ cancelled: true }),
    });
    await waitFor(async () => (await startedCount()) > started, {
      timeoutMs: 5_000,
      description: 'the call started upstream',
    });
    abort.abort('the agent cancelled');
    await outcome;
    await waitFor(async () => (await cancelledCount()) > cancelled, {
      timeoutMs: 5_000,
      description: 'the upstream saw the cancellation',
    });
  });
});

describe('stdio supervision', () => {
  it('fails in-flight calls at once with -32010 when the process dies, then restarts it', async () => {
    const server = pool.get('stdio')!;
    const restarts = server.restarts;
    const stdio = transports
      .filter((transport) => transport instanceof StdioClientTransport)
      .at(-1) as StdioClientTransport;
    const hooks = new RecordingHooks();
    const call = server.request(
      'tools/call',
      {
        name: 'trigger-long-running-operation',
        arguments: { duration: 60, steps: 60 },
        _meta: { progressToken: 1 },
      },
      { client, timeoutMs: 60_000, hooks },
    );
    const outcome = expect(call).rejects.toMatchObject({
      code: JsonRpcErrorCode.upstreamUnavailable,
      message: expect.stringContaining('"stdio"'),
    });
    await waitFor(() => hooks.progress().length > 0, {
      timeoutMs: 10_000,
      description: 'the call running upstream',
    });
    const killedAt = Date.now();
    process.kill(stdio.pid!, 'SIGKILL');
    await outcome;
    expect(Date.now() - killedAt).toBeLessThan(2_000);
    await waitFor(() => server.state === 'ready' && server.restarts > restarts, {
      timeoutMs: 20_000,
      description: 'the stdio server restarted',
    });
    const result = await server.request(
      'tools/call',
      { name: 'echo', arguments: { message: 'back' } },
      { client, timeoutMs: 5_000 },
    );
    expect(resultText(result)).toBe('Echo: back');
  });
});
