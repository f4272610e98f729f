import {
  type FetchLike,
  SSEClientTransport,
  StreamableHTTPClientTransport,
  type Transport,
} from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import type { ServerDefinitionValue } from '@gateway/contracts';
import { type UpgradeCredentials, WebSocketClientTransport } from './websocket-client.transport';

export interface TransportHooks {
  /** Each line an stdio server writes to stderr. */
  readonly onStderrLine: (line: string) => void;
  /** The server's HTTP client (pooled connections, its credentials), for HTTP transports. */
  readonly fetch?: FetchLike;
  /** What the server's credential adds to a stdio process's environment. */
  readonly environment?: Readonly<Record<string, string>>;
  /** The headers of a WebSocket upgrade: the configured ones and the credential's. */
  readonly upgradeCredentials?: () => Promise<UpgradeCredentials>;
}

/** "node" runs the gateway's own Node.js binary, so stdio servers get the same runtime everywhere. */
function resolveCommand(command: string): string {
  return command === 'node' ? process.execPath : command;
}

function stdioTransport(server: ServerDefinitionValue, hooks: TransportHooks): Transport {
  if (!server.stdio) throw new Error(`server "${server.name}" has no stdio settings`);
  // The SDK's own stdio transport (not a subclass): version negotiation probes it on a sibling process.
  const transport = new StdioClientTransport({
    command: resolveCommand(server.stdio.command),
    args: server.stdio.args,
    // The child sees PATH and HOME but none of the gateway's secrets unless configured.
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? '',
      ...server.stdio.env,
      ...hooks.environment,
    },
    cwd: server.stdio.cwd,
    stderr: 'pipe',
  });
  let partial = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) hooks.onStderrLine(line);
  });
  return transport;
}

export type ClientTransportFactory = (
  server: ServerDefinitionValue,
  url: string | undefined,
  hooks: TransportHooks,
) => Transport;

/** Nest token to replace the transport factory (tests reach the real process behind a transport). */
export const UPSTREAM_TRANSPORT_FACTORY = Symbol('UPSTREAM_TRANSPORT_FACTORY');

/**
 * The MCP client transport for one endpoint of a server definition: its `http.url` or one of
 * its `http.replicas` (`url`), or its stdio command.
 */
export const createClientTransport: ClientTransportFactory = (server, url, hooks) => {
  switch (server.transport) {
    case 'stdio':
      return stdioTransport(server, hooks);
    case 'streamable-http':
      return new StreamableHTTPClientTransport(new URL(requireUrl(server, url)), { fetch: hooks.fetch });
    case 'sse':
      return new SSEClientTransport(new URL(requireUrl(server, url)), { fetch: hooks.fetch });
    case 'websocket':
      return new WebSocketClientTransport(
        new URL(requireUrl(server, url)),
        hooks.upgradeCredentials ?? (async () => ({ headers: server.http?.headers ?? {} })),
      );
  }
};

function requireUrl(server: ServerDefinitionValue, url: string | undefined): string {
  if (!server.http || !url) throw new Error(`server "${server.name}" has no http settings`);
  return url;
}

/** Every endpoint of a server: the primary URL then its replicas; one stdio endpoint otherwise. */
export function serverEndpoints(server: ServerDefinitionValue): Array<string | undefined> {
  if (server.transport === 'stdio' || !server.http) return [undefined];
  return [server.http.url, ...(server.http.replicas ?? [])];
}
