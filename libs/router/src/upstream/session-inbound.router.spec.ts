import { GatewayError, JsonRpcErrorCode } from '@gateway/mcp';
import type { Logger } from '@gateway/platform';
import { SessionInboundRouter } from './session-inbound.router';
import type { SessionListener, UpstreamMessage, UpstreamRequestHooks } from './upstream-session';

function hooks(name: string, seen: string[]): UpstreamRequestHooks {
  return {
    onNotification: (notification) => void seen.push(`${name} ${notification.method}`),
    onRequest: async (request) => {
      seen.push(`${name} ${request.method}`);
      return { answeredBy: name };
    },
  };
}

function listenerOf(seen: string[]): SessionListener {
  return {
    onNotification: (serverId, sessionKey, notification) =>
      void seen.push(`listener ${serverId}/${sessionKey} ${notification.method}`),
    onRequest: async (serverId, sessionKey, request) => {
      seen.push(`listener ${serverId}/${sessionKey} ${request.method}`);
      return { answeredBy: 'listener' };
    },
  };
}

const logger = { warn: jest.fn(), info: jest.fn(), debug: jest.fn() };
const sampling: UpstreamMessage = { method: 'sampling/createMessage', params: { maxTokens: 1 } };

function router(listener?: SessionListener): SessionInboundRouter {
  return new SessionInboundRouter({
    serverId: 'srv',
    server: 'everything',
    sessionKey: 'k1',
    listener: () => listener,
    logger: logger as unknown as Logger,
  });
}

beforeEach(() => jest.clearAllMocks());

describe('SessionInboundRouter', () => {
  it('hands a server request to the most recent running request that has hooks', async () => {
    const seen: string[] = [];
    const inbound = router(listenerOf(seen));
    inbound.begin(hooks('first', seen));
    const second = inbound.begin(hooks('second', seen));
    inbound.begin(undefined);
    await expect(inbound.onRequest(sampling)).resolves.toEqual({ answeredBy: 'second' });
    inbound.end(second);
    await expect(inbound.onRequest(sampling)).resolves.toEqual({ answeredBy: 'first' });
  });

  it('hands it to the session listener when no request runs, and refuses it when nobody listens', async () => {
    const seen: string[] = [];
    await expect(router(listenerOf(seen)).onRequest(sampling)).resolves.toEqual({ answeredBy: 'listener' });
    expect(seen).toEqual(['listener srv/k1 sampling/createMessage']);
    const refusal = router().onRequest(sampling);
    await expect(refusal).rejects.toBeInstanceOf(GatewayError);
    await expect(refusal).rejects.toMatchObject({
      code: JsonRpcErrorCode.methodNotFound,
      message: expect.stringContaining(
        'cannot answer sampling/createMessage from upstream server "everything"',
      ),
    });
  });

  it('sends session-wide notifications to the listener even while a request runs', () => {
    const seen: string[] = [];
    const inbound = router(listenerOf(seen));
    inbound.begin(hooks('call', seen));
    inbound.onNotification({ method: 'notifications/message', params: { level: 'info' } });
    inbound.onNotification({ method: 'notifications/tools/list_changed' });
    expect(seen).toEqual(['call notifications/message', 'listener srv/k1 notifications/tools/list_changed']);
  });

  it('logs a notification nobody takes instead of dropping it silently', () => {
    router().onNotification({ method: 'notifications/message' });
    expect(logger.warn).toHaveBeenCalledWith(
      expect.objectContaining({ method: 'notifications/message' }),
      expect.stringContaining('not delivered'),
    );
  });

  it('puts the caller’s own progress token back on its progress', () => {
    const inbound = router();
    const received: UpstreamMessage[] = [];
    const running = inbound.begin({
      onNotification: (message) => received.push(message),
      onRequest: async () => ({}),
    });
    inbound.onProgress(running, 'caller-7', { progress: 1, total: 2 });
    expect(received).toEqual([
      { method: 'notifications/progress', params: { progress: 1, total: 2, progressToken: 'caller-7' } },
    ]);
  });
});
