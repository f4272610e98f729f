import { JsonRpcErrorCode } from '@gateway/mcp';
import { waitFor } from '@gateway/testing';
import {
  downstreamClient,
  resultJson,
  resultText,
  serverDefinition,
  testRouterConfig,
  UpstreamFixture,
} from './upstream-fixture.test-helper';
import { UpstreamPool } from './upstream-pool';

jest.setTimeout(60_000);

let [a, b, flaky]: UpstreamFixture[] = [];
let pool: UpstreamPool;
const client = downstreamClient();

beforeAll(async () => {
  [a, b, flaky] = await Promise.all([
    UpstreamFixture.start('legacy', 'a'),
    UpstreamFixture.start('legacy', 'b'),
    UpstreamFixture.start('legacy', 'flaky'),
  ]);
  pool = new UpstreamPool(testRouterConfig, {
    breaker: { consecutiveFailures: 3, halfOpenAfterMs: 500 },
    retry: { maxAttempts: 2, initialDelayMs: 20, maxDelayMs: 50 },
    httpHealthCheck: { failuresToEject: 1 },
  });
  await pool.apply(
    serverDefinition({
      id: 'replicated',
      transport: 'streamable-http',
      http: { url: a!.url(), replicas: [b!.url()], headers: {} },
      healthCheck: { intervalMs: 100, timeoutMs: 1_000 },
    }),
  );
  // No health checks here: the test counts every POST the server gets.
  await pool.apply(
    serverDefinition({
      id: 'flaky',
      transport: 'streamable-http',
      sessions: 'shared',
      http: { url: flaky!.url(), headers: {} },
      healthCheck: { intervalMs: 3_600_000, timeoutMs: 1_000 },
    }),
  );
  await waitFor(() => pool.all().every((server) => server.state === 'ready'), {
    description: 'upstreams connected',
  });
});

afterAll(async () => {
  await pool?.onApplicationShutdown();
  await Promise.all([a, b, flaky].map((fixture) => fixture?.stop()));
});

const posts = async (): Promise<number> => (await flaky!.control<{ mcpPosts: number }>('stats')).mcpPosts;
const echo = (id: string, sessionKey?: string) =>
  pool
    .get(id)!
    .request(
      'tools/call',
      { name: 'echo', arguments: { text: 'x' } },
      { client: downstreamClient({ sessionKey }), timeoutMs: 5_000 },
    );
const replicaOf = async (sessionKey?: string): Promise<string> =>
  resultText(await echo('replicated', sessionKey)).split(':')[0]!;
const inRotation = (url: string) =>
  pool.get('replicated')!.replicaStates.find((replica) => replica.url === url)?.inRotation;

describe('retries', () => {
  it('retries an idempotent call after an unavailable upstream', async () => {
    const before = await posts();
    await flaky!.control('fail-next?count=2');
    const result = await pool
      .get('flaky')!
      .request('tools/list', undefined, { client, timeoutMs: 5_000, idempotent: true });
    expect(result['tools']).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'echo' })]));
    expect((await posts()) - before).toBe(3);
  });

  it('never retries a call that is not idempotent', async () => {
    const before = await posts();
    await flaky!.control('fail-next?count=1');
    await expect(echo('flaky')).rejects.toMatchObject({
      code: JsonRpcErrorCode.upstreamUnavailable,
      message: expect.stringContaining('"flaky"'),
    });
    expect((await posts()) - before).toBe(1);
  });
});

describe('circuit breaker', () => {
  it('opens after consecutive failures, fails calls at once while open, and closes after a good probe', async () => {
    await flaky!.control('outage?on=1');
    const failures: string[] = [];
    for (let attempt = 0; attempt < 5 && !failures.at(-1)?.includes('circuit breaker'); attempt += 1) {
      await echo('flaky').catch((error: Error) => failures.push(error.message));
    }
    expect(failures.at(-1)).toContain('circuit breaker is open');
    expect(pool.get('flaky')!.breakerState).toBe('open');
    const before = await posts();
    await expect(echo('flaky')).rejects.toMatchObject({
      code: JsonRpcErrorCode.upstreamUnavailable,
      message: expect.stringContaining('circuit breaker is open'),
    });
    expect(await posts()).toBe(before);

    await flaky!.control('outage?on=0');
    const result = await waitFor(() => echo('flaky').catch(() => undefined), {
      timeoutMs: 10_000,
      description: 'a successful probe call',
    });
    expect(resultText(result)).toBe('flaky:x');
    expect(pool.get('flaky')!.breakerState).toBe('closed');
  });
});

describe('replicas', () => {
  it('balances calls across the replicas in rotation', async () => {
    const replicas = [await replicaOf(), await replicaOf(), await replicaOf(), await replicaOf()];
    expect(new Set(replicas)).toEqual(new Set(['a', 'b']));
    expect(replicas[0]).toBe(replicas[2]);
    expect(replicas[1]).toBe(replicas[3]);
  });

  it('keeps a per-client session on the replica it was opened on', async () => {
    const calls = await Promise.all([1, 2, 3, 4].map(() => replicaOf('sticky')));
    expect(new Set(calls).size).toBe(1);
  });

  it('takes a replica failing its health checks out of rotation, and back when it recovers', async () => {
    await b!.control('outage?on=1');
    await waitFor(() => inRotation(b!.url()) === false, {
      timeoutMs: 5_000,
      description: 'b out of rotation',
    });
    expect(pool.get('replicated')!.state).toBe('ready');
    expect([await replicaOf(), await replicaOf(), await replicaOf()]).toEqual(['a', 'a', 'a']);

    await b!.control('outage?on=0');
    await waitFor(() => inRotation(b!.url()) === true, {
      timeoutMs: 5_000,
      description: 'b back in rotation',
    });
    expect(new Set([await replicaOf(), await replicaOf()])).toEqual(new Set(['a', 'b']));
  });

  it('moves a per-client session to another replica when its own leaves rotation', async () => {
    const whoami = async () =>
      resultJson<{ replica: string; sessionId: string }>(
        await pool
          .get('replicated')!
          .request(
            'tools/call',
            { name: 'whoami' },
            { client: downstreamClient({ sessionKey: 'mover' }), timeoutMs: 5_000 },
          ),
      );
    const before = await whoami();
    const home = before.replica === 'a' ? a! : b!;
    await home.control('outage?on=1');
    try {
      await waitFor(() => inRotation(home.url()) === false, {
        timeoutMs: 5_000,
        description: 'home replica out',
      });
      const after = await whoami();
      expect(after.replica).not.toBe(before.replica);
      expect(after.sessionId).not.toBe(before.sessionId);
    } finally {
      await home.control('outage?on=0');
    }
  });
});
