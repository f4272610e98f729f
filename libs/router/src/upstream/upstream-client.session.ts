import {
  CLIENT_CAPABILITIES_META_KEY,
  CLIENT_INFO_META_KEY,
  Client,
  type ClientCapabilities,
  isJSONRPCNotification,
  type JSONRPCMessage,
  type McpSubscription,
  ProtocolError,
  SdkError,
  SdkErrorCode,
  SdkHttpError,
  type StandardSchemaV1,
  StreamableHTTPClientTransport,
  type Transport,
} from '@modelcontextprotocol/client';
import type { Logger } from '@gateway/platform';
import { CallDeadline, longestTimerMs } from './call-deadline';
import type { EraVerdict } from './upstream-era.verdict';
import { isSessionNotFound } from './upstream-errors';
import { SessionInboundRouter } from './session-inbound.router';
import type {
  DownstreamClient,
  SessionListener,
  UpstreamEra,
  UpstreamMessage,
  UpstreamRequestHooks,
} from './upstream-session';

/** Who the upstream session is for: a downstream session (per-client) or everyone (shared). */
export interface SessionSpec {
  readonly serverId: string;
  readonly server: string;
  readonly sessionKey: string | undefined;
  readonly capabilities: Record<string, unknown>;
  readonly clientInfo: { readonly name: string; readonly version: string };
  /** The era of the downstream client the session is for; undefined for shared sessions. */
  readonly clientEra?: UpstreamEra;
}

export interface SessionDependencies {
  readonly createTransport: () => Transport;
  readonly verdict: EraVerdict;
  readonly listener: () => SessionListener | undefined;
  readonly logger: Logger;
  readonly connectTimeoutMs: number;
}

export interface SessionCall {
  readonly client: DownstreamClient;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  readonly hooks?: UpstreamRequestHooks;
}

/** Accepts any result object as it is: the gateway relays results, it does not interpret them. */
const rawResult: StandardSchemaV1<unknown, Record<string, unknown>> = {
  '~standard': {
    version: 1,
    vendor: 'mcp-gateway',
    validate: (value) =>
      typeof value === 'object' && value !== null && !Array.isArray(value)
        ? { value: value as Record<string, unknown> }
        : { issues: [{ message: 'the result is not an object' }] },
  },
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function progressTokenOf(params: Record<string, unknown> | undefined): unknown {
  const meta = params?.['_meta'];
  return isRecord(meta) ? meta['progressToken'] : undefined;
}

function withProgressToken(
  params: Record<string, unknown> | undefined,
  token: string,
): Record<string, unknown> {
  const meta = isRecord(params?.['_meta']) ? params['_meta'] : {};
  return { ...params, _meta: { ...meta, progressToken: token } };
}

/** The method and params of an SDK message, as the hooks and the listener take them. */
function messageOf(message: { method: string; params?: unknown }): UpstreamMessage {
  return isRecord(message.params)
    ? { method: message.method, params: message.params }
    : { method: message.method };
}

/** The upstream answered and said no (as opposed to being unreachable). */
function isRefusal(error: unknown): boolean {
  return (
    error instanceof ProtocolError ||
    (error instanceof SdkHttpError && error.status >= 400 && error.status < 500)
  );
}

function withDeadline(work: Promise<unknown>, ms: number): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise((resolve) => (timer = setTimeout(resolve, ms)));
  return Promise.race([work.catch(() => undefined), deadline]).finally(() => clearTimeout(timer));
}

/**
 * One MCP client session with an upstream server (v2 SDK client: it speaks 2026-07-28 and the
 * 2025 revisions). Requests are relayed raw. A caller's progress token is replaced by one unique
 * in the session and mapped back, so callers sharing a session never collide; progress is read
 * off the transport as it arrives, because the SDK dispatches notifications a tick later than
 * responses and would lose the progress sent right before a result; each one restarts the call's
 * deadline. Everything else the upstream sends goes through the session's inbound router.
 * `input_required` results are never fulfilled here (the SDK's automatic mode answers from
 * per-client handlers that cannot tell which of several concurrent calls asked): they come back.
 */
export class UpstreamClientSession {
  readonly client: Client;
  /** Set by the owner: the connection ended by itself (process exit, stream closed), not by close(). */
  onLost: ((session: UpstreamClientSession) => void) | undefined;
  private transport: Transport | undefined;
  private readonly inbound: SessionInboundRouter;
  private ended = false;
  private lastUse = Date.now();
  private readonly progress = new Map<string, (params: Record<string, unknown>) => void>();
  private progressTokens = 0;
  private subscription: McpSubscription | undefined;

  private constructor(
    readonly spec: SessionSpec,
    private readonly dependencies: SessionDependencies,
  ) {
    this.client = new Client(spec.clientInfo, {
      capabilities: spec.capabilities as ClientCapabilities,
      versionNegotiation: dependencies.verdict.negotiation(),
      inputRequired: { autoFulfill: false },
    });
    this.inbound = new SessionInboundRouter({
      serverId: spec.serverId,
      server: spec.server,
      sessionKey: spec.sessionKey,
      listener: dependencies.listener,
      logger: dependencies.logger,
    });
  }

  static async open(spec: SessionSpec, dependencies: SessionDependencies): Promise<UpstreamClientSession> {
    const session = new UpstreamClientSession(spec, dependencies);
    if (await session.connect()) return session;
    // The 2025 handshake gave a session the upstream cannot send requests into: its own era then.
    const ownEra = new UpstreamClientSession(spec, dependencies);
    await ownEra.connect();
    return ownEra;
  }

  get era(): UpstreamEra {
    return this.client.getProtocolEra() ?? 'legacy';
  }

  get capabilities(): Record<string, unknown> | undefined {
    return this.client.getServerCapabilities();
  }

  get closed(): boolean {
    return this.ended;
  }

  get inFlight(): number {
    return this.inbound.inFlight;
  }

  get lastUsedAt(): number {
    return this.lastUse;
  }

  async request(
    method: string,
    params: Record<string, unknown> | undefined,
    call: SessionCall,
  ): Promise<Record<string, unknown>> {
    const running = this.inbound.begin(call.hooks);
    const deadline = new CallDeadline(call.timeoutMs, call.signal);
    const callerToken = progressTokenOf(params);
    const token = callerToken === undefined ? undefined : `gateway-${++this.progressTokens}`;
    if (token !== undefined) {
      this.progress.set(token, (progress) => {
        deadline.restart();
        this.inbound.onProgress(running, callerToken, progress);
      });
    }
    this.lastUse = Date.now();
    try {
      const sent = token === undefined ? params : withProgressToken(params, token);
      const result = await this.client.request(
        { method, params: this.withEnvelope(sent, call.client) },
        rawResult,
        {
          // The deadline (restarted by progress) is ours; the SDK's own timer only backs it up.
          timeout: longestTimerMs,
          signal: deadline.signal,
          allowInputRequired: true,
        },
      );
      // The SDK strips the wire's resultType from complete results (and only that): a modern caller gets it back.
      return this.era === 'modern' && call.client.era === 'modern' && result['resultType'] === undefined
        ? { ...result, resultType: 'complete' }
        : result;
    } catch (error) {
      if (deadline.expired)
        throw new SdkError(SdkErrorCode.RequestTimeout, 'Request timed out', { timeout: call.timeoutMs });
      throw error;
    } finally {
      deadline.dispose();
      if (token !== undefined) this.progress.delete(token);
      this.inbound.end(running);
      this.lastUse = Date.now();
    }
  }

  /** A liveness probe: `ping` on 2025 sessions, `server/discover` on 2026-07-28 ones (which have no ping). */
  async probe(timeoutMs: number): Promise<void> {
    if (this.era === 'modern') await this.client.discover({ timeout: timeoutMs });
    else await this.client.ping({ timeout: timeoutMs });
  }

  /**
   * On a 2026-07-28 session the upstream announces list changes only on a subscriptions/listen
   * stream: opens one for the lists it says can change (re-opened if the stream drops). Its
   * notifications reach the session listener like a 2025 server's unsolicited ones.
   */
  async listenForListChanges(): Promise<void> {
    if (this.era !== 'modern' || this.ended) return;
    const changes = (kind: string): boolean => {
      const capability = this.capabilities?.[kind];
      return isRecord(capability) && capability['listChanged'] === true;
    };
    const filter = {
      ...(changes('tools') && { toolsListChanged: true }),
      ...(changes('prompts') && { promptsListChanged: true }),
      ...(changes('resources') && { resourcesListChanged: true }),
    };
    if (Object.keys(filter).length === 0) return;
    const subscription = await this.client.listen(filter, { timeout: this.dependencies.connectTimeoutMs });
    this.subscription = subscription;
    void subscription.closed.then((how) => {
      if (how !== 'remote' || this.ended) return;
      this.dependencies.logger.warn(
        { server: this.spec.server },
        'list change subscription dropped; re-opening',
      );
      setTimeout(() => void this.listenForListChanges().catch(() => undefined), 1_000).unref();
    });
  }

  /** Ends the session: an HTTP session is deleted upstream (bounded), then the connection closes. */
  async close(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    await withDeadline(this.subscription?.close() ?? Promise.resolve(), 2_000);
    const transport = this.transport;
    if (transport instanceof StreamableHTTPClientTransport && transport.sessionId) {
      await withDeadline(transport.terminateSession(), 2_000);
    }
    await withDeadline(this.client.close(), 2_000);
  }

  /** Drops a session the upstream no longer knows (HTTP 404), without telling it. */
  async abandon(): Promise<void> {
    this.ended = true;
    await withDeadline(this.client.close(), 2_000);
  }

  /**
   * Connects; false when the session was opened in the 2025 era for a 2025-era client but the
   * upstream serves that era without sessions (stateless, as the v2 SDK's `createMcpHandler`
   * does by default): such a session can never carry the upstream's sampling or elicitation
   * requests, while one in the upstream's 2026-07-28 era can, through input_required rounds.
   */
  private async connect(): Promise<boolean> {
    const { verdict, connectTimeoutMs, logger } = this.dependencies;
    // A 2025-era client gets the 2025 handshake where the upstream still speaks it, so logging,
    // resource subscriptions and in-stream sampling keep their meaning end to end.
    const legacyForClient = this.spec.clientEra === 'legacy' && verdict.era !== 'legacy';
    const prior = verdict.connectPriorFor(this.spec.clientEra);
    const log = { server: this.spec.server, sessionKey: this.spec.sessionKey };
    // A 404 is handled (the session is re-created); it is not worth a warning each time.
    this.client.onerror = (error) =>
      isSessionNotFound(error)
        ? logger.debug({ ...log, err: error }, 'upstream session not found')
        : logger.warn({ ...log, err: error }, 'upstream session error');
    this.client.onclose = () => this.closedByPeer();
    this.client.fallbackRequestHandler = (request) => this.inbound.onRequest(messageOf(request));
    this.client.fallbackNotificationHandler = async (notification) => {
      if (notification.method !== 'notifications/progress')
        this.inbound.onNotification(messageOf(notification));
    };
    this.client.removeNotificationHandler('notifications/progress');
    this.transport = this.dependencies.createTransport();
    try {
      await this.client.connect(this.transport, { timeout: connectTimeoutMs, ...(prior && { prior }) });
    } catch (error) {
      this.ended = true;
      // Refused (not unreachable): 2025-era clients get the upstream's own era from now on.
      if (legacyForClient && isRefusal(error)) verdict.refuseLegacy();
      // A verdict that no longer connects may be stale: the next connection probes again.
      else if (prior) verdict.forget();
      await withDeadline(this.client.close(), 2_000);
      throw error;
    }
    if (!prior) verdict.remember(this.client);
    if (legacyForClient && this.era === 'legacy' && this.servesWithoutSessions()) {
      verdict.refuseLegacy();
      logger.info(log, 'upstream serves 2025 requests without sessions; 2025-era clients get its own era');
      this.ended = true;
      await withDeadline(this.client.close(), 2_000);
      return false;
    }
    this.readProgress(this.transport);
    return true;
  }

  private servesWithoutSessions(): boolean {
    return this.transport instanceof StreamableHTTPClientTransport && this.transport.sessionId === undefined;
  }

  /** Sees each message before the SDK does, in arrival order, and delivers progress at once. */
  private readProgress(transport: Transport): void {
    const protocol = transport.onmessage;
    transport.onmessage = (message: JSONRPCMessage, extra) => {
      if (isJSONRPCNotification(message) && message.method === 'notifications/progress')
        this.onProgress(message.params);
      protocol?.(message, extra);
    };
  }

  private onProgress(params: Record<string, unknown> | undefined): void {
    const { progressToken, ...progress } = params ?? {};
    const deliver = this.progress.get(String(progressToken));
    if (deliver) return deliver(progress);
    this.dependencies.logger.warn(
      { server: this.spec.server, sessionKey: this.spec.sessionKey, progressToken },
      'upstream progress not delivered: its request is no longer running',
    );
  }

  private closedByPeer(): void {
    if (this.ended) return;
    this.ended = true;
    this.onLost?.(this);
  }

  /**
   * On a 2026-07-28 session every request carries the caller's capabilities and identity in its
   * `_meta` envelope, so the upstream sees what the agent supports even on a shared session; the
   * caller's own envelope keys, when it sent them, win.
   */
  private withEnvelope(
    params: Record<string, unknown> | undefined,
    client: DownstreamClient,
  ): Record<string, unknown> | undefined {
    if (this.era !== 'modern') return params;
    const own = isRecord(params?.['_meta']) ? params['_meta'] : {};
    return {
      ...params,
      _meta: {
        [CLIENT_CAPABILITIES_META_KEY]: client.capabilities,
        ...(client.clientInfo && { [CLIENT_INFO_META_KEY]: client.clientInfo }),
        ...own,
      },
    };
  }
}
