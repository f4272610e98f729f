import { createParser } from 'eventsource-parser';
import { Pool } from 'undici';

/** The protocol revision the load generator speaks: 2025-11-25, with sessions. */
export const benchProtocolVersion = '2025-11-25';

/** A request's result, once its answer is known to be no error. */
export type RpcResult = Record<string, unknown>;

/** Any answer the harness must count as an error: the kind and what was wrong. */
export class BenchRequestError extends Error {}

/** Where one side of a scenario sends its requests. */
export interface McpEndpoint {
  readonly url: URL;
  /** Sent with every request: the gateway's credential; none for an upstream loaded directly. */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * One origin's keep-alive connections: every session of a phase shares it, one connection per
 * session in flight, as HTTP clients of a gateway do.
 */
export class McpHttpOrigin {
  readonly pool: Pool;
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;

  constructor(endpoint: McpEndpoint, connections: number) {
    this.url = endpoint.url;
    this.headers = endpoint.headers ?? {};
    this.pool = new Pool(endpoint.url.origin, {
      connections,
      pipelining: 1,
      keepAliveTimeout: 60_000,
      bodyTimeout: 60_000,
      headersTimeout: 60_000,
    });
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}

/**
 * A 2025-era MCP client session over Streamable HTTP, lean enough to load a gateway from the same
 * two cores: initialize and initialized, then requests whose answers come as JSON or as an SSE
 * stream, whichever the server chooses, each checked for its id and for a JSON-RPC error.
 */
export class McpHttpSession {
  private nextId = 1;

  private constructor(
    private readonly origin: McpHttpOrigin,
    private readonly path: string,
    readonly sessionId: string | undefined,
  ) {}

  static async open(origin: McpHttpOrigin, path = origin.url.pathname): Promise<McpHttpSession> {
    const opening = new McpHttpSession(origin, path, undefined);
    const { sessionId } = await opening.post(
      {
        jsonrpc: '2.0',
        id: 0,
        method: 'initialize',
        params: {
          protocolVersion: benchProtocolVersion,
          capabilities: {},
          clientInfo: { name: 'mcp-gateway-bench', version: '1.0.0' },
        },
      },
      0,
    );
    const session = new McpHttpSession(origin, path, sessionId);
    await session.post({ jsonrpc: '2.0', method: 'notifications/initialized' }, undefined);
    return session;
  }

  async request(method: string, params: Record<string, unknown>): Promise<RpcResult> {
    const id = this.nextId++;
    const { result } = await this.post({ jsonrpc: '2.0', id, method, params }, id);
    if (!result) throw new BenchRequestError(`${method}: no answer`);
    return result;
  }

  /** DELETE, ending the session on the server. */
  async close(): Promise<void> {
    if (this.sessionId === undefined) return;
    const response = await this.origin.pool.request({
      path: this.path,
      method: 'DELETE',
      headers: this.headers(),
    });
    await response.body.dump();
    if (response.statusCode >= 300) throw new BenchRequestError(`DELETE: HTTP ${response.statusCode}`);
  }

  private headers(): Record<string, string> {
    return {
      ...this.origin.headers,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': benchProtocolVersion,
      ...(this.sessionId !== undefined && { 'mcp-session-id': this.sessionId }),
    };
  }

  private async post(
    message: Record<string, unknown>,
    id: number | undefined,
  ): Promise<{ result?: RpcResult; sessionId?: string }> {
    const response = await this.origin.pool.request({
      path: this.path,
      method: 'POST',
      headers: this.headers(),
      body: JSON.stringify(message),
    });
    const text = await response.body.text();
    const header = response.headers['mcp-session-id'];
    const sessionId = typeof header === 'string' ? header : undefined;
    if (id === undefined) {
      if (response.statusCode !== 202) {
        throw new BenchRequestError(
          `${String(message['method'])}: HTTP ${response.statusCode}, expected 202`,
        );
      }
      return { sessionId };
    }
    if (response.statusCode !== 200) {
      throw new BenchRequestError(
        `${String(message['method'])}: HTTP ${response.statusCode} ${text.slice(0, 200)}`,
      );
    }
    const contentType = String(response.headers['content-type'] ?? '');
    const answer = contentType.startsWith('text/event-stream') ? answerInStream(text, id) : JSON.parse(text);
    return { result: resultOf(answer, id, String(message['method'])), sessionId };
  }
}

/** The JSON-RPC response to `id` among an SSE stream's messages (progress and the like skipped). */
function answerInStream(text: string, id: number): unknown {
  let answer: unknown;
  const parser = createParser({
    onEvent: (event) => {
      if (event.data === '') return;
      const message = JSON.parse(event.data) as { id?: unknown; method?: unknown };
      if (message.id === id && message.method === undefined) answer = message;
    },
  });
  parser.feed(text);
  parser.reset({ consume: true });
  return answer;
}

export function resultOf(answer: unknown, id: number, method: string): RpcResult {
  if (typeof answer !== 'object' || answer === null)
    throw new BenchRequestError(`${method}: no JSON-RPC answer`);
  const message = answer as { id?: unknown; result?: unknown; error?: { code?: unknown; message?: unknown } };
  if (message.error) {
    throw new BenchRequestError(
      `${method}: JSON-RPC ${String(message.error.code)} ${String(message.error.message)}`,
    );
  }
  if (message.id !== id)
    throw new BenchRequestError(`${method}: answer for id ${String(message.id)}, expected ${id}`);
  if (typeof message.result !== 'object' || message.result === null) {
    throw new BenchRequestError(`${method}: answer without a result`);
  }
  return message.result as RpcResult;
}
