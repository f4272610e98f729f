import { type IncomingHttpHeaders, request as httpRequest } from 'node:http';
import { testAdminHeaders } from '@gateway/testing';

/** One JSON-RPC message as it came over the wire, unvalidated. */
export interface WireMessage {
  readonly jsonrpc?: unknown;
  readonly id?: string | number | null;
  readonly method?: string;
  readonly result?: Record<string, unknown>;
  readonly error?: { readonly code: number; readonly message: string; readonly data?: unknown };
}

export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** The JSON-RPC messages of a JSON body or of an SSE stream's data lines. */
  readonly messages: readonly WireMessage[];
}

export interface RawRequest {
  readonly method?: 'POST' | 'GET' | 'DELETE';
  /**
   * Replaces the defaults (JSON content, JSON or SSE accepted, the test admin's credential);
   * `Host` may be set too.
   */
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly timeoutMs?: number;
}

function messagesOf(headers: IncomingHttpHeaders, body: string): WireMessage[] {
  const parse = (text: string): WireMessage[] => {
    try {
      const value = JSON.parse(text) as unknown;
      return (Array.isArray(value) ? value : [value]) as WireMessage[];
    } catch {
      return [];
    }
  };
  if ((headers['content-type'] ?? '').includes('text/event-stream')) {
    return body
      .split(/\r?\n\r?\n/)
      .map((event) =>
        event
          .split(/\r?\n/)
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(5).trimStart())
          .join('\n'),
      )
      .filter(Boolean)
      .flatMap(parse);
  }
  return parse(body);
}

/**
 * Every request carries the test admin's credential unless `headers` replaces it, so a test of a
 * status (404, 400, 413...) gets past authentication and sees the answer it is about.
 */
function requestHeaders(options: RawRequest): Record<string, string> {
  return {
    accept: 'application/json, text/event-stream',
    ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
    ...testAdminHeaders(),
    ...options.headers,
  };
}

/**
 * One HTTP exchange with an MCP endpoint through node:http, which (unlike fetch) sends any Host
 * header it is given. Reads the whole answer: a JSON body, or an SSE stream until the server ends it.
 */
export function sendRaw(url: string, options: RawRequest = {}): Promise<RawResponse> {
  const { method = 'POST', body, timeoutMs = 15_000 } = options;
  const headers = requestHeaders(options);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(url, { method, headers, timeout: timeoutMs }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: text,
          messages: messagesOf(response.headers, text),
        });
      });
    });
    outgoing.on('timeout', () =>
      outgoing.destroy(new Error(`${method} ${url}: no complete answer in ${timeoutMs} ms`)),
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

export const sessionProtocolVersion = '2025-11-25';

export function jsonRpc(method: string, params?: Record<string, unknown>, id = 1): string {
  return JSON.stringify({ jsonrpc: '2.0', id, method, ...(params ? { params } : {}) });
}

export function jsonRpcNotification(method: string, params?: Record<string, unknown>): string {
  return JSON.stringify({ jsonrpc: '2.0', method, ...(params ? { params } : {}) });
}

/** Headers of a request in an established 2025-era session. */
export function inSession(sessionId: string, extra: Record<string, string> = {}): Record<string, string> {
  return { 'mcp-session-id': sessionId, 'mcp-protocol-version': sessionProtocolVersion, ...extra };
}

/** initialize + notifications/initialized by hand; returns the session id the gateway issued. */
export async function openRawSession(mcpUrl: string): Promise<string> {
  const initialize = await sendRaw(mcpUrl, {
    body: jsonRpc('initialize', {
      protocolVersion: sessionProtocolVersion,
      capabilities: {},
      clientInfo: { name: 'gateway-http-status-e2e', version: '1.0.0' },
    }),
  });
  const sessionId = initialize.headers['mcp-session-id'];
  if (initialize.status !== 200 || typeof sessionId !== 'string') {
    throw new Error(`initialize answered ${initialize.status} without a session id: ${initialize.body}`);
  }
  const initialized = await sendRaw(mcpUrl, {
    headers: inSession(sessionId),
    body: jsonRpcNotification('notifications/initialized'),
  });
  if (initialized.status !== 202) {
    throw new Error(`notifications/initialized answered ${initialized.status}: ${initialized.body}`);
  }
  return sessionId;
}

/** A request whose answer is read as it arrives (an SSE stream kept open by the server). */
export interface RawStream {
  /** The messages received so far. */
  readonly messages: readonly WireMessage[];
  readonly status: number | undefined;
  /** Whether the server has ended the answer. */
  readonly ended: boolean;
  /** Drops the connection (for cleanup). */
  close(): void;
}

export function streamRaw(url: string, options: RawRequest = {}): RawStream {
  const { method = 'POST', body } = options;
  const headers = requestHeaders(options);
  const messages: WireMessage[] = [];
  const state = { status: undefined as number | undefined, ended: false };
  let pending = '';
  const outgoing = httpRequest(url, { method, headers }, (response) => {
    state.status = response.statusCode;
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      pending += chunk;
      const events = pending.split(/\r?\n\r?\n/);
      pending = events.pop() ?? '';
      for (const event of events)
        messages.push(...messagesOf({ 'content-type': 'text/event-stream' }, event));
    });
    const end = (): void => {
      state.ended = true;
    };
    response.on('end', end);
    response.on('close', end);
    response.on('error', end);
  });
  outgoing.on('error', () => (state.ended = true));
  outgoing.end(body);
  return {
    messages,
    get status() {
      return state.status;
    },
    get ended() {
      return state.ended;
    },
    close: () => outgoing.destroy(),
  };
}
