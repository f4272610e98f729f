import { GatewayError, JsonRpcErrorCode } from '@gateway/mcp';
import type { Logger } from '@gateway/platform';
import type { SessionListener, UpstreamMessage, UpstreamRequestHooks } from './upstream-session';

/** Notifications about the session as a whole, never about the request that happens to run. */
const sessionNotifications = new Set([
  'notifications/tools/list_changed',
  'notifications/prompts/list_changed',
  'notifications/resources/list_changed',
  'notifications/resources/updated',
  'notifications/elicitation/complete',
]);

export interface InboundTarget {
  readonly serverId: string;
  readonly server: string;
  /** Undefined for a shared session: its unsolicited traffic concerns every downstream session. */
  readonly sessionKey: string | undefined;
  readonly listener: () => SessionListener | undefined;
  readonly logger: Logger;
}

/** A request of this session that is waiting for the upstream's answer. */
export interface RunningRequest {
  readonly hooks: UpstreamRequestHooks | undefined;
}

/**
 * Delivers what an upstream sends on its own (requests such as sampling, notifications such as
 * logging) to whoever can take it: the most recent running request of the session that has hooks
 * (the upstream cannot say which request it means on stdio or WebSocket, and a 2025 server only
 * sends them while serving one), else the session listener. A request nobody can answer gets a
 * JSON-RPC error naming the reason; a notification nobody takes is logged, never dropped silently.
 */
export class SessionInboundRouter {
  private readonly running: RunningRequest[] = [];

  constructor(private readonly target: InboundTarget) {}

  get inFlight(): number {
    return this.running.length;
  }

  begin(hooks: UpstreamRequestHooks | undefined): RunningRequest {
    const request = { hooks };
    this.running.push(request);
    return request;
  }

  end(request: RunningRequest): void {
    const index = this.running.lastIndexOf(request);
    if (index >= 0) this.running.splice(index, 1);
  }

  async onRequest(request: UpstreamMessage): Promise<Record<string, unknown>> {
    const hooks = this.currentHooks();
    if (hooks) return hooks.onRequest(request);
    const listener = this.target.listener();
    if (listener) return listener.onRequest(this.target.serverId, this.target.sessionKey, request);
    this.target.logger.warn(
      { server: this.target.server, sessionKey: this.target.sessionKey, method: request.method },
      'upstream request refused: no request of its session is running and no session listener is set',
    );
    throw new GatewayError(
      JsonRpcErrorCode.methodNotFound,
      `The gateway cannot answer ${request.method} from upstream server "${this.target.server}": ` +
        'no request of this session is running and no downstream session listens',
    );
  }

  onNotification(notification: UpstreamMessage): void {
    const hooks = sessionNotifications.has(notification.method) ? undefined : this.currentHooks();
    try {
      if (hooks) return hooks.onNotification(notification);
      const listener = this.target.listener();
      if (listener) {
        return listener.onNotification(this.target.serverId, this.target.sessionKey, notification);
      }
      this.target.logger.warn(
        { server: this.target.server, sessionKey: this.target.sessionKey, method: notification.method },
        'upstream notification not delivered: no request of its session is running and no session listener is set',
      );
    } catch (error) {
      this.target.logger.warn(
        { server: this.target.server, method: notification.method, err: error },
        'upstream notification could not be delivered',
      );
    }
  }

  /** Progress of one request, with the caller's own progress token put back. */
  onProgress(request: RunningRequest, callerToken: unknown, progress: Record<string, unknown>): void {
    const notification = {
      method: 'notifications/progress',
      params: { ...progress, progressToken: callerToken },
    };
    if (request.hooks) {
      try {
        request.hooks.onNotification(notification);
      } catch (error) {
        this.target.logger.warn(
          { server: this.target.server, err: error },
          'progress could not be delivered',
        );
      }
      return;
    }
    this.target.logger.warn(
      { server: this.target.server, progressToken: callerToken },
      'progress not delivered: the request asked for progress but has no hooks',
    );
  }

  private currentHooks(): UpstreamRequestHooks | undefined {
    for (let index = this.running.length - 1; index >= 0; index -= 1) {
      const hooks = this.running[index]!.hooks;
      if (hooks) return hooks;
    }
    return undefined;
  }
}
