import type { FetchLike } from '@modelcontextprotocol/client';
import { Agent, fetch as undiciFetch, Headers } from 'undici';

export interface UpstreamHttpAgentOptions {
  readonly keepAliveTimeoutMs: number;
  readonly connectionsPerOrigin: number;
}

/**
 * The HTTP side of one upstream server: one undici Agent (kept-alive, pooled connections shared
 * by every session and replica of the server) and a fetch that puts the server's configured
 * headers (Authorization and the like) on every request the MCP transports make. Headers the
 * transport sets itself (session id, protocol version) win over configured ones of the same name.
 */
export class UpstreamHttpAgent {
  private readonly agent: Agent;

  constructor(
    private readonly headers: Readonly<Record<string, string>>,
    options: UpstreamHttpAgentOptions,
  ) {
    this.agent = new Agent({
      keepAliveTimeout: options.keepAliveTimeoutMs,
      connections: options.connectionsPerOrigin,
    });
  }

  readonly fetch: FetchLike = (url, init) => {
    const headers = new Headers(this.headers);
    new Headers(init?.headers as ConstructorParameters<typeof Headers>[0]).forEach((value, name) =>
      headers.set(name, value),
    );
    const request = { ...init, headers, dispatcher: this.agent } as Parameters<typeof undiciFetch>[1];
    // undici's Response is the WHATWG Response the SDK expects; only the declared types differ.
    return undiciFetch(url, request) as unknown as Promise<Response>;
  };

  /** Drops every connection, long-lived SSE streams included (sessions are closed first). */
  async close(): Promise<void> {
    await this.agent.destroy();
  }
}
