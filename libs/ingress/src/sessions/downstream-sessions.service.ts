import {
  Inject,
  Injectable,
  type OnApplicationShutdown,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import {
  isInitializeRequest,
  type Notification,
  SUPPORTED_PROTOCOL_VERSIONS,
  type Transport,
  WebStandardStreamableHTTPServerTransport,
} from '@modelcontextprotocol/server';
import {
  GatewayError,
  JsonRpcErrorCode,
  newSessionIdentity,
  openSession,
  SealedBox,
  type SessionClaims,
  sealSession,
} from '@gateway/mcp';
import { createLogger, EVENT_BUS, type EventBus } from '@gateway/platform';
import { RevocationList } from '@gateway/security';
import { missingScopes, requiredScopes } from '../auth/mcp-scopes';
import { callerOf, type RequestIdentity } from '../auth/request-identity';
import { RequestRateGate } from '../limits/request-rate.gate';
import { INGRESS_CONFIG, type IngressConfig } from '../ingress-config';
import { CallRecorder } from '../mcp/call-recorder';
import { createGatewayServer } from '../mcp/gateway-server';
import { RouterGateway, type RpcMessage } from '../router/router-gateway.service';
import { BoundedEventStore } from './bounded-event-store';
import { type DownstreamSession, legacyClientContext } from './downstream-session';

/** The code the MCP SDKs use for "session not found". */
export const sessionNotFoundCode = -32001;

/** How long a server-to-client request on the session stream may wait for the client. */
const clientAnswerTimeoutMs = 60_000;

export function jsonRpcErrorResponse(httpStatus: number, code: number, message: string): Response {
  return Response.json({ jsonrpc: '2.0', id: null, error: { code, message } }, { status: httpStatus });
}

/** The protocol revision a 2025-era initialize settles on, as the SDK negotiates it. */
function negotiatedVersion(requested: unknown): string {
  return typeof requested === 'string' && SUPPORTED_PROTOCOL_VERSIONS.includes(requested)
    ? requested
    : SUPPORTED_PROTOCOL_VERSIONS[0]!;
}

/**
 * The 2025-era downstream sessions this replica serves: Streamable HTTP, HTTP+SSE and
 * WebSocket. A Streamable HTTP session id is sealed and carries what initialize said, so a
 * replica that never saw the session (another replica's, or this one's before a restart)
 * rebuilds it on first sight by replaying the handshake to a fresh server; the router then
 * re-creates its upstream sessions the same way.
 */
@Injectable()
export class DownstreamSessions implements OnModuleInit, OnModuleDestroy, OnApplicationShutdown {
  private readonly logger = createLogger('downstream-sessions');
  private readonly sessions = new Map<string, DownstreamSession>();
  private readonly rebuilding = new Map<string, Promise<DownstreamSession>>();
  /** Session identities ended by DELETE or expiry, with when they can be forgotten. */
  private readonly ended = new Map<string, number>();
  private readonly box: SealedBox;
  private sweepTimer: NodeJS.Timeout | undefined;
  private stopWatchingRevocations: (() => void) | undefined;

  constructor(
    private readonly router: RouterGateway,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    @Inject(INGRESS_CONFIG) private readonly config: IngressConfig,
    private readonly revocations: RevocationList,
    private readonly rateGate: RequestRateGate,
  ) {
    this.box = new SealedBox(config.sessionKey);
  }

  onModuleInit(): void {
    // A Streamable HTTP request re-presents its credential every time; an SSE or WebSocket
    // session presented it once, so revoking the credential ends those sessions.
    this.stopWatchingRevocations = this.revocations.onRevoked((credentialId) => {
      for (const session of this.sessions.values()) {
        if (
          session.transportKind !== 'streamable-http' &&
          session.identity.principal.credentialId === credentialId
        ) {
          void this.end(session, 'credential revoked');
        }
      }
    });
    this.sweepTimer = setInterval(() => this.sweep(), Math.min(this.config.sessionIdleMs, 60_000));
    this.sweepTimer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.sweepTimer);
    this.stopWatchingRevocations?.();
  }

  /** Sessions open on this replica. */
  get size(): number {
    return this.sessions.size;
  }

  get sealing(): SealedBox {
    return this.box;
  }

  get(id: string): DownstreamSession | undefined {
    return this.sessions.get(id);
  }

  /**
   * Serves one Streamable HTTP request of the 2025 era (POST, GET stream or DELETE), from the
   * principal its credential named. A session is bound to the principal that opened it.
   */
  async handleStreamable(
    request: Request,
    parsedBody: unknown,
    view: string | undefined,
    identity: RequestIdentity,
  ): Promise<Response> {
    const sessionId = request.headers.get('mcp-session-id');
    if (!sessionId) {
      if (request.method === 'POST' && isInitializeRequest(parsedBody)) {
        const params = parsedBody.params;
        const claims: SessionClaims = {
          sid: newSessionIdentity(),
          pv: negotiatedVersion(params.protocolVersion),
          caps: params.capabilities as Record<string, unknown>,
          info: { name: params.clientInfo.name, version: params.clientInfo.version },
          view,
          iat: Date.now(),
          prn: identity.principal.id,
          tnt: identity.principal.tenant,
        };
        const session = await this.openStreamable(sealSession(this.box, claims), claims, false, identity);
        return (session.transport as WebStandardStreamableHTTPServerTransport).handleRequest(request, {
          parsedBody,
        });
      }
      return jsonRpcErrorResponse(
        400,
        JsonRpcErrorCode.invalidRequest,
        request.method === 'POST'
          ? 'Bad Request: Mcp-Session-Id header is required (send initialize first)'
          : 'Bad Request: Mcp-Session-Id header is required',
      );
    }
    const session = await this.streamableSession(sessionId, view, identity);
    if (!session) return jsonRpcErrorResponse(404, sessionNotFoundCode, 'Session not found');
    session.lastActivityMs = Date.now();
    session.identity = identity;
    return (session.transport as WebStandardStreamableHTTPServerTransport).handleRequest(request, {
      parsedBody,
    });
  }

  private async streamableSession(
    sessionId: string,
    view: string | undefined,
    identity: RequestIdentity,
  ): Promise<DownstreamSession | undefined> {
    const principal = identity.principal;
    const local = this.sessions.get(sessionId);
    // Someone else's session is answered like an unknown one: its id reveals nothing.
    if (local) return local.view === view && local.identity.principal.id === principal.id ? local : undefined;
    const claims = openSession(this.box, sessionId);
    if (!claims || this.ended.has(claims.sid) || claims.view !== view) return undefined;
    if (claims.prn !== principal.id || claims.tnt !== principal.tenant) return undefined;
    if (Date.now() - claims.iat > this.config.sessionMaxAgeMs) return undefined;
    let rebuilt = this.rebuilding.get(sessionId);
    if (!rebuilt) {
      rebuilt = this.openStreamable(sessionId, claims, true, identity).finally(() =>
        this.rebuilding.delete(sessionId),
      );
      this.rebuilding.set(sessionId, rebuilt);
    }
    return rebuilt;
  }

  private async openStreamable(
    sealed: string,
    claims: SessionClaims,
    rebuild: boolean,
    identity: RequestIdentity,
  ): Promise<DownstreamSession> {
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => sealed,
      eventStore: new BoundedEventStore(),
      onsessionclosed: () => {
        const session = this.sessions.get(sealed);
        if (session) void this.end(session, 'deleted by the client');
      },
    });
    const session = await this.open({
      id: sealed,
      key: claims.sid,
      transportKind: 'streamable-http',
      transport,
      view: claims.view,
      record: !rebuild,
      identity,
    });
    if (rebuild) await this.replayHandshake(transport, sealed, claims, session);
    return session;
  }

  /**
   * Puts a fresh server into the state the session's initialize left it in: the same
   * handshake, replayed from the sealed claims, its answers discarded.
   */
  private async replayHandshake(
    transport: WebStandardStreamableHTTPServerTransport,
    sealed: string,
    claims: SessionClaims,
    session: DownstreamSession,
  ): Promise<void> {
    const post = (body: unknown, headers: Record<string, string> = {}): Request =>
      new Request('http://gateway.internal/mcp', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          ...headers,
        },
        body: JSON.stringify(body),
      });
    const initialize = {
      jsonrpc: '2.0',
      id: 'gateway-session-rebuild',
      method: 'initialize',
      params: {
        protocolVersion: claims.pv,
        capabilities: claims.caps,
        clientInfo: claims.info ?? { name: 'unknown', version: '0' },
      },
    };
    await (await transport.handleRequest(post(initialize))).text();
    await (
      await transport.handleRequest(
        post(
          { jsonrpc: '2.0', method: 'notifications/initialized' },
          { 'mcp-session-id': sealed, 'mcp-protocol-version': claims.pv },
        ),
      )
    ).text();
    this.startRecording(session);
    this.logger.info({ session: claims.sid }, 'session rebuilt from its sealed id');
  }

  /** Opens an HTTP+SSE (2024-11-05) or WebSocket session on the given transport. */
  async openLocal(
    id: string,
    transportKind: 'sse' | 'websocket',
    transport: Transport,
    view: string | undefined,
    identity: RequestIdentity,
  ): Promise<DownstreamSession> {
    const session = await this.open({
      id,
      key: newSessionIdentity(),
      transportKind,
      transport,
      view,
      record: true,
      identity,
    });
    const onclose = transport.onclose;
    transport.onclose = () => {
      onclose?.();
      void this.end(session, 'transport closed');
    };
    return session;
  }

  private async open(spec: {
    id: string;
    key: string;
    transportKind: DownstreamSession['transportKind'];
    transport: Transport;
    view: string | undefined;
    record: boolean;
    identity: RequestIdentity;
  }): Promise<DownstreamSession> {
    const { record, ...fields } = spec;
    // The session object is completed right below; the handlers only run once it is.
    const session = { ...fields, lastActivityMs: Date.now() } as unknown as DownstreamSession & {
      recorder: CallRecorder;
    };
    const recorder = new CallRecorder(
      {
        bus: this.bus,
        instanceId: this.config.instanceId,
        identity: () => ({
          tenant: session.identity.principal.tenant,
          principal: session.identity.principal.id,
        }),
      },
      () => spec.key,
    );
    session.recorder = recorder;
    const caller = () => callerOf(session.identity, spec.key);
    const server = createGatewayServer({
      forward: async (request, peer) => {
        // SSE and WebSocket messages carry no credential of their own: the session's scopes decide.
        const missing = missingScopes(session.identity.principal.scopes, requiredScopes(request));
        if (missing.length > 0) {
          throw new GatewayError(
            JsonRpcErrorCode.accessDenied,
            `Forbidden: this request needs the scope ${missing.join(' ')}`,
          );
        }
        await this.rateGate.admit(session.identity, request.method, request.params);
        return this.router.exchange(
          {
            caller: caller(),
            client: legacyClientContext(session),
            method: request.method,
            params: request.params,
          },
          peer,
        );
      },
      served: (requestId, server, target) => recorder.annotate(requestId, server, target),
      notification: async (notification: Notification) => {
        // initialized and cancelled are the SDK's own business (a cancellation aborts the request).
        if (
          notification.method === 'notifications/initialized' ||
          notification.method === 'notifications/cancelled'
        ) {
          return;
        }
        await this.router.notify(caller(), legacyClientContext(session), {
          jsonrpc: '2.0',
          ...notification,
        } as RpcMessage);
      },
    });
    Object.assign(session, { server });
    server.oninitialized = () => this.relaySessionMessages(session);
    await server.connect(spec.transport);
    if (record) this.startRecording(session);
    this.sessions.set(spec.id, session);
    return session;
  }

  private startRecording(session: DownstreamSession): void {
    (session as DownstreamSession & { recorder: CallRecorder }).recorder.attach(session.transport);
  }

  /**
   * Relays the router's messages for this session that belong to no request (list_changed,
   * resource updates, logging, server-to-client requests), re-attaching if the router goes.
   */
  private relaySessionMessages(session: DownstreamSession): void {
    if (session.detach || !this.sessions.has(session.id)) return;
    session.detach = this.router.attach(legacyClientContext(session), {
      onNotification: (message) => {
        void session.server
          .notification({ method: message.method!, params: message.params } as Notification)
          .catch((error: unknown) =>
            this.logger.warn({ err: error, method: message.method }, 'notification not delivered'),
          );
      },
      onRequest: async (message): Promise<RpcMessage> => {
        const request = session.server.request as unknown as (
          request: { method: string; params?: Record<string, unknown> },
          options: { timeout: number },
        ) => Promise<unknown>;
        try {
          const result = await request.call(
            session.server,
            { method: message.method!, params: message.params },
            { timeout: clientAnswerTimeoutMs },
          );
          return { jsonrpc: '2.0', id: message.id, result };
        } catch (error) {
          throw new GatewayError(
            JsonRpcErrorCode.internalError,
            `The client of session could not answer ${message.method}: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
      },
      onEnd: () => {
        session.detach = undefined;
        if (!this.sessions.has(session.id)) return;
        setTimeout(() => this.relaySessionMessages(session), 1_000).unref();
      },
    });
  }

  /** Ends a session: forgets it, refuses its id from now on and closes its upstream sessions. */
  async end(session: DownstreamSession, reason: string): Promise<void> {
    if (this.sessions.get(session.id) !== session) return;
    this.sessions.delete(session.id);
    this.ended.set(session.key, Date.now() + this.config.sessionMaxAgeMs);
    const detach = session.detach;
    session.detach = undefined;
    detach?.();
    this.logger.info({ session: session.key, transport: session.transportKind, reason }, 'session ended');
    await session.transport.close().catch(() => undefined);
    await this.router
      .closeSession(legacyClientContext(session))
      .catch((error: unknown) =>
        this.logger.warn({ err: error, session: session.key }, 'router did not close the upstream sessions'),
      );
  }

  private sweep(): void {
    const now = Date.now();
    for (const session of this.sessions.values()) {
      if (now - session.lastActivityMs > this.config.sessionIdleMs) void this.end(session, 'idle');
    }
    for (const [key, forgetAt] of this.ended) if (forgetAt < now) this.ended.delete(key);
  }

  async onApplicationShutdown(): Promise<void> {
    const open = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(
      open.map(async (session) => {
        session.detach?.();
        await session.transport.close().catch(() => undefined);
      }),
    );
  }
}
