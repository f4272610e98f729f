import type { FetchLike } from '@modelcontextprotocol/client';
import { Agent, fetch as undiciFetch, Headers } from 'undici';
import type { TokenUse, UpstreamAuthenticator } from './upstream.authenticator';

export interface UpstreamHttpAgentOptions {
  readonly keepAliveTimeoutMs: number;
  readonly connectionsPerOrigin: number;
}

type RequestInitOf = Parameters<typeof undiciFetch>[1];

/** A request that can be sent a second time as it is: no body, or a body held in memory. */
function replayable(init: RequestInit | undefined): boolean {
  const body = init?.body;
  return body === undefined || body === null || typeof body === 'string' || body instanceof URLSearchParams;
}

/**
 * The HTTP side of one upstream server: one undici Agent (kept-alive, pooled connections shared
 * by every session and replica of the server) and a fetch that puts the server's credentials on
 * every request the MCP transports make: its static headers (configured ones, an API key, a
 * bearer token; the transport's own, such as the session id, win over them), and a token from
 * the credential's token endpoint, when it has one. An upstream that refuses that token (401)
 * gets the request once more with a new one.
 */
export class UpstreamHttpAgent {
  private readonly agent: Agent;

  constructor(
    private readonly authenticator: UpstreamAuthenticator,
    options: UpstreamHttpAgentOptions,
  ) {
    this.agent = new Agent({
      keepAliveTimeout: options.keepAliveTimeoutMs,
      connections: options.connectionsPerOrigin,
    });
  }

  readonly fetch: FetchLike = async (url, init) => {
    if (!this.authenticator.issuesTokens) return this.send(url, init, undefined);
    const use = await this.authenticator.authorization();
    const response = await this.send(url, init, use);
    if (response.status !== 401 || !use || !replayable(init)) return response;
    this.authenticator.refused(use);
    await response.body?.cancel().catch(() => undefined);
    return this.send(url, init, await this.authenticator.authorization());
  };

  /** Drops every connection, long-lived SSE streams included (sessions are closed first). */
  async close(): Promise<void> {
    await this.agent.destroy();
  }

  private send(
    url: string | URL,
    init: RequestInit | undefined,
    use: TokenUse | undefined,
  ): Promise<Response> {
    const headers = new Headers(this.authenticator.headers);
    new Headers(init?.headers as ConstructorParameters<typeof Headers>[0]).forEach((value, name) =>
      headers.set(name, value),
    );
    if (use) headers.set('authorization', use.authorization);
    const request = { ...init, headers, dispatcher: this.agent } as RequestInitOf;
    // undici's Response is the WHATWG Response the SDK expects; only the declared types differ.
    return undiciFetch(url, request) as unknown as Promise<Response>;
  }
}
