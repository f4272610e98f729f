import type { ServerDefinitionValue } from '@gateway/contracts';

/** The protocol era of an MCP peer: 2026-07-28 and later (`modern`) or the 2025 revisions (`legacy`). */
export type UpstreamEra = 'modern' | 'legacy';

/** Connection state as reported in heartbeats and on /api/v1/upstreams. */
export type UpstreamState = 'connecting' | 'ready' | 'backoff' | 'stopped';

export interface DownstreamClient {
  /** Downstream session key; on 'per-client' servers each key gets its own upstream session. Undefined for stateless 2026-07-28 requests. */
  readonly sessionKey?: string;
  readonly era: UpstreamEra;
  readonly protocolVersion: string;
  readonly capabilities: Record<string, unknown>; // the downstream client's ClientCapabilities
  readonly clientInfo?: { name: string; version: string };
}

/**
 * Who a request is made for, as ingress verified them (RouterApi.Caller has these fields). The
 * router never sends the caller's own credential upstream.
 */
export interface UpstreamCaller {
  readonly principal: string;
  /**
   * The caller's own access token; only a token-exchange server's token endpoint sees it, traded
   * for a token of that server's audience. Empty when the caller presented none (an API key).
   */
  readonly subjectToken: string;
}

export interface UpstreamMessage {
  readonly method: string;
  readonly params?: Record<string, unknown>;
}

export interface UpstreamRequestHooks {
  /** Notifications the upstream relates to this request (progress with the caller's own progressToken restored, logging, ...). */
  onNotification(notification: UpstreamMessage): void;
  /** Requests the upstream sends while this request runs (sampling/createMessage, elicitation/create, roots/list): the downstream client answers. Throw a GatewayError to answer the upstream with that error. */
  onRequest(request: UpstreamMessage): Promise<Record<string, unknown>>;
}

export interface UpstreamCallOptions {
  readonly client: DownstreamClient;
  /** Per-call deadline, reset by each progress notification. */
  readonly timeoutMs: number;
  /** Downstream cancellation: abort => notifications/cancelled upstream. */
  readonly signal?: AbortSignal;
  readonly hooks?: UpstreamRequestHooks;
  /** Reads (lists, resources/read, prompts/get, completion/complete, ping) may be retried. */
  readonly idempotent?: boolean;
  /**
   * Who the request is for; absent: the gateway itself (catalog lists). A server with
   * token-exchange credentials receives a token issued for this caller.
   */
  readonly caller?: UpstreamCaller;
}

export interface SessionListener {
  /** Unsolicited upstream notifications (list_changed, resources/updated, logging not tied to a request). sessionKey undefined = from a shared session: for every downstream session. */
  onNotification(serverId: string, sessionKey: string | undefined, notification: UpstreamMessage): void;
  /** Upstream requests arriving when no request of that session is running. Throw GatewayError when no client can answer. */
  onRequest(
    serverId: string,
    sessionKey: string | undefined,
    request: UpstreamMessage,
  ): Promise<Record<string, unknown>>;
}

/** One logical upstream server, as `UpstreamPool.get(serverId)` hands it out. */
export interface UpstreamServer {
  readonly definition: ServerDefinitionValue;
  readonly name: string;
  readonly state: UpstreamState;
  readonly restarts: number;
  readonly lastError: string;
  /** The era the upstream speaks, once a connection has told (remembered across reconnects). */
  readonly era: UpstreamEra | undefined;
  /**
   * Sends one request and answers with the raw JSON-RPC result object: on a modern upstream with
   * its `resultType`, and an `input_required` result untouched for a modern caller. Throws a
   * GatewayError: an `UpstreamRpcError` keeps the upstream's own code, message and data; the
   * gateway's conditions are -32010 (unavailable, breaker open) and -32011 (timeout).
   */
  request(
    method: string,
    params: Record<string, unknown> | undefined,
    options: UpstreamCallOptions,
  ): Promise<Record<string, unknown>>;
  /**
   * Sends a downstream notification (e.g. notifications/roots/list_changed) to the upstream
   * sessions serving that client: its own on a per-client server (if it has one), else the shared ones.
   */
  notify(
    method: string,
    params: Record<string, unknown> | undefined,
    client: DownstreamClient,
    caller?: UpstreamCaller,
  ): Promise<void>;
  /** Ends the upstream session of a downstream session (no-op on shared servers). */
  closeSession(sessionKey: string): Promise<void>;
  /** The upstream's ServerCapabilities as negotiated, or undefined before the first connection. */
  capabilities(era: UpstreamEra): Record<string, unknown> | undefined;
}
