import { waitFor } from '@gateway/testing';
import {
  downstreamClient,
  RecordingHooks,
  resultJson,
  serverDefinition,
  testRouterConfig,
  UpstreamFixture,
} from './upstream-fixture.test-helper';
import { UpstreamPool } from './upstream-pool';
import type { SessionListener, UpstreamMessage } from './upstream-session';

jest.setTimeout(60_000);

interface Whoami {
  readonly sessionId: string;
  readonly clientInfo: { name: string };
  readonly clientCapabilities: Record<string, unknown>;
}

let legacy: UpstreamFixture;
let modern: UpstreamFixture;
let pool: UpstreamPool;

/** A session listener that records what reaches it and answers roots/list. */
class RecordingListener implements SessionListener {
  readonly notifications: Array<{ sessionKey: string | undefined; notification: UpstreamMessage }> = [];
  readonly requests: Array<{ sessionKey: string | undefined; request: UpstreamMessage }> = [];

  onNotification(_serverId: string, sessionKey: string | undefined, notification: UpstreamMessage): void {
    this.notifications.push({ sessionKey, notification });
  }

  async onRequest(_serverId: string, sessionKey: string | undefined, request: UpstreamMessage) {
    this.requests.push({ sessionKey, request });
    return { roots: [{ uri: 'file:///work', name: 'work' }] };
  }
}

beforeAll(async () => {
  [legacy, modern] = await Promise.all([UpstreamFixture.start('legacy'), UpstreamFixture.start('modern')]);
  pool = new UpstreamPool(testRouterConfig, { sessionIdleTimeoutMs: 1_500 });
  await pool.apply(
    serverDefinition({
      id: 'legacy',
      transport: 'streamable-http',
      http: { url: legacy.url(), headers: {} },
    }),
  );
  await pool.apply(
    serverDefinition({
      id: 'modern',
      transport: 'streamable-http',
      http: { url: modern.url(), headers: {} },
    }),
  );
  await waitFor(() => pool.all().every((server) => server.state === 'ready'), {
    description: 'upstreams connected',
  });
});

afterEach(() => pool.setSessionListener(undefined));

afterAll(async () => {
  await pool?.onApplicationShutdown();
  await Promise.all([legacy?.stop(), modern?.stop()]);
});

const whoami = async (sessionKey: string | undefined, name = 'agent'): Promise<Whoami> =>
  resultJson<Whoami>(
    await pool
      .get('legacy')!
      .request(
        'tools/call',
        { name: 'whoami' },
        { client: downstreamClient({ sessionKey, clientInfo: { name, version: '1' } }), timeoutMs: 5_000 },
      ),
  );

const upstreamSessions = async (): Promise<string[]> =>
  (await legacy.control<{ sessions: string[] }>('stats')).sessions;

describe('per-client sessions', () => {
  it('gives each downstream session its own upstream session, opened with its capabilities', async () => {
    const [first, second, firstAgain] = [
      await whoami('k1', 'agent-1'),
      await whoami('k2', 'agent-2'),
      await whoami('k1'),
    ];
    expect(first.sessionId).not.toBe(second.sessionId);
    expect(firstAgain.sessionId).toBe(first.sessionId);
    expect([first.clientInfo.name, second.clientInfo.name]).toEqual(['agent-1', 'agent-2']);
    expect(first.clientCapabilities).toEqual({ sampling: {}, elicitation: { form: {} } });
    expect(pool.get('legacy')!.clientSessionCount).toBe(2);
  });

  it('ends the upstream session when the downstream session closes', async () => {
    const { sessionId } = await whoami('closing');
    await pool.get('legacy')!.closeSession('closing');
    expect(await upstreamSessions()).not.toContain(sessionId);
  });

  it('closes an upstream session left idle', async () => {
    const { sessionId } = await whoami('idle');
    await waitFor(async () => !(await upstreamSessions()).includes(sessionId), {
      timeoutMs: 10_000,
      description: 'the idle session deleted upstream',
    });
  });

  it('re-creates a session the upstream forgot (HTTP 404) and retries the call once', async () => {
    const before = [await whoami('renewed'), await whoami(undefined)];
    await legacy.control('forget-sessions');
    const after = [await whoami('renewed'), await whoami(undefined)];
    expect(after[0]!.sessionId).not.toBe(before[0]!.sessionId);
    expect(after[1]!.sessionId).not.toBe(before[1]!.sessionId);
  });
});

describe('traffic outside any request', () => {
  it('sends unsolicited notifications to the session listener, with the session key', async () => {
    const listener = new RecordingListener();
    pool.setSessionListener(listener);
    await pool
      .get('legacy')!
      .request(
        'tools/call',
        { name: 'change-tools' },
        { client: downstreamClient({ sessionKey: 'l1' }), timeoutMs: 5_000 },
      );
    await waitFor(() => listener.notifications.length > 0, { timeoutMs: 5_000, description: 'list_changed' });
    expect(listener.notifications[0]).toEqual({
      sessionKey: 'l1',
      notification: { method: 'notifications/tools/list_changed' },
    });
  });

  it('lets the session listener answer a request that arrives between calls', async () => {
    const listener = new RecordingListener();
    pool.setSessionListener(listener);
    await pool
      .get('legacy')!
      .request(
        'tools/call',
        { name: 'ask-roots-later', arguments: { delayMs: 50 } },
        { client: downstreamClient({ sessionKey: 'l2' }), timeoutMs: 5_000 },
      );
    const outcome = await waitFor(
      async () =>
        (
          await legacy.control<{ unsolicited: Array<{ outcome: string; detail: string }> }>('stats')
        ).unsolicited.at(-1),
      {
        timeoutMs: 5_000,
        description: 'the upstream got its answer',
      },
    );
    expect(listener.requests).toEqual([{ sessionKey: 'l2', request: { method: 'roots/list' } }]);
    expect(outcome).toMatchObject({ outcome: 'result', detail: expect.stringContaining('file:///work') });
  });

  it('answers such a request with an error when no listener is set', async () => {
    const seen = (await legacy.control<{ unsolicited: unknown[] }>('stats')).unsolicited.length;
    await pool
      .get('legacy')!
      .request(
        'tools/call',
        { name: 'ask-roots-later', arguments: { delayMs: 50 } },
        { client: downstreamClient({ sessionKey: 'l3' }), timeoutMs: 5_000 },
      );
    const stats = await waitFor(
      async () => {
        const current = await legacy.control<{ unsolicited: Array<{ outcome: string; detail: string }> }>(
          'stats',
        );
        return current.unsolicited.length > seen && current;
      },
      { timeoutMs: 5_000, description: 'the upstream got its error' },
    );
    expect(stats.unsolicited.at(-1)).toMatchObject({
      outcome: 'error',
      detail: expect.stringContaining('cannot answer roots/list'),
    });
  });
});

describe('a 2026-07-28 upstream', () => {
  const modernClient = downstreamClient({
    era: 'modern',
    protocolVersion: '2026-07-28',
    sessionKey: 'm1',
    capabilities: { elicitation: { form: {} } },
  });

  it('hands an input_required result to a modern caller untouched, and forwards its retry untouched', async () => {
    const server = pool.get('modern')!;
    const first = await server.request(
      'tools/call',
      { name: 'confirm', arguments: { action: 'deploy' } },
      { client: modernClient, timeoutMs: 5_000 },
    );
    expect(first).toEqual({
      resultType: 'input_required',
      inputRequests: {
        confirmation: {
          method: 'elicitation/create',
          params: expect.objectContaining({ message: 'Really deploy?', mode: 'form' }),
        },
      },
      requestState: expect.stringMatching(/^round-/),
      _meta: expect.any(Object),
    });
    const second = await server.request(
      'tools/call',
      {
        name: 'confirm',
        arguments: { action: 'deploy' },
        inputResponses: { confirmation: { action: 'accept', content: { sure: true } } },
        requestState: first['requestState'],
      },
      { client: modernClient, timeoutMs: 5_000 },
    );
    expect(second['resultType']).toBe('complete');
    expect(resultJson(second)).toEqual({
      action: 'deploy',
      answer: { sure: true },
      requestState: first['requestState'],
    });
  });

  it('opens a 2025-era caller’s session in its own era, since it serves 2025 requests without sessions', async () => {
    const result = await pool
      .get('modern')!
      .request(
        'tools/call',
        { name: 'whoami' },
        { client: downstreamClient({ sessionKey: 'm3' }), timeoutMs: 5_000 },
      );
    expect(resultJson(result)).toMatchObject({ era: 'modern' });
  });

  it('resolves input_required rounds for a 2025-era caller through its hooks', async () => {
    const hooks = new RecordingHooks(() => ({ action: 'accept', content: { sure: true } }));
    const result = await pool
      .get('modern')!
      .request(
        'tools/call',
        { name: 'confirm', arguments: { action: 'restart' } },
        { client: downstreamClient({ sessionKey: 'm2' }), timeoutMs: 5_000, hooks },
      );
    expect(hooks.requests).toEqual([
      { method: 'elicitation/create', params: expect.objectContaining({ message: 'Really restart?' }) },
    ]);
    expect(result['resultType']).toBeUndefined();
    expect(resultJson(result)).toMatchObject({ action: 'restart', answer: { sure: true } });
  });

  it('subscribes to its list changes and hands them to the session listener', async () => {
    const listener = new RecordingListener();
    pool.setSessionListener(listener);
    await pool
      .get('modern')!
      .request('tools/call', { name: 'change-tools' }, { client: modernClient, timeoutMs: 5_000 });
    await waitFor(() => listener.notifications.length > 0, { timeoutMs: 5_000, description: 'list_changed' });
    expect(listener.notifications[0]).toMatchObject({
      sessionKey: undefined,
      notification: { method: 'notifications/tools/list_changed' },
    });
  });

  it('shows the upstream what the calling agent supports, in every request’s envelope', async () => {
    const result = await pool
      .get('modern')!
      .request('tools/call', { name: 'whoami' }, { client: modernClient, timeoutMs: 5_000 });
    expect(resultJson(result)).toMatchObject({
      era: 'modern',
      envelope: {
        'io.modelcontextprotocol/clientCapabilities': { elicitation: { form: {} } },
        'io.modelcontextprotocol/clientInfo': { name: 'test-agent' },
      },
    });
  });
});
