import {
  type ClientCapabilities as ModernClientCapabilities,
  Client as ModernClient,
  StreamableHTTPClientTransport as ModernHttpTransport,
} from '@modelcontextprotocol/client';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { ClientCapabilities } from '@modelcontextprotocol/sdk/types.js';
import { testAdminHeaders } from '@gateway/testing';
import { AuthenticatedWebSocketTransport } from './authenticated-websocket.transport';

/** How an agent reaches the gateway: the three 2025-era transports and the 2026-07-28 revision. */
export type DownstreamTransport = 'streamable-http-2025' | 'streamable-http-2026' | 'http+sse' | 'websocket';

export const downstreamTransports: readonly DownstreamTransport[] = [
  'streamable-http-2025',
  'streamable-http-2026',
  'http+sse',
  'websocket',
];

export const modernProtocolVersion = '2026-07-28';

const clientInfo = { name: 'gateway-data-plane-e2e', version: '1.0.0' };

/** What the suites ask of a client, whichever SDK generation speaks for it. */
export interface GatewayClient {
  listTools(): Promise<{ tools: Array<{ name: string; description?: string }> }>;
  callTool(params: { name: string; arguments?: Record<string, unknown> }): Promise<{
    content?: unknown;
    isError?: boolean;
  }>;
  readResource(params: {
    uri: string;
  }): Promise<{ contents: Array<{ uri: string; mimeType?: string; text?: string; blob?: string }> }>;
  getPrompt(params: {
    name: string;
    arguments?: Record<string, string>;
  }): Promise<{ messages: Array<{ role: string; content: unknown }> }>;
  complete(params: {
    ref: { type: 'ref/prompt'; name: string } | { type: 'ref/resource'; uri: string };
    argument: { name: string; value: string };
    context?: { arguments?: Record<string, string> };
  }): Promise<{ completion: { values: string[] } }>;
}

export interface DownstreamConnection {
  readonly transport: DownstreamTransport;
  readonly client: GatewayClient;
  /** The protocol revision the connection settled on. */
  readonly protocolVersion: string | undefined;
  close(): Promise<void>;
}

export interface LegacyClientOptions {
  readonly capabilities?: ClientCapabilities;
  /** Registers request handlers (sampling, elicitation) before the handshake. */
  readonly configure?: (client: Client) => void;
}

export type LegacyTransport = Exclude<DownstreamTransport, 'streamable-http-2026'>;

/**
 * Every transport presents the test admin's API key. The SSE transport sends `requestInit`'s
 * headers on its event-stream GET as well as on its POSTs to /messages (SDK 1.x builds both from them).
 */
function legacyTransport(kind: LegacyTransport, baseUrl: string): Transport {
  const headers = testAdminHeaders();
  switch (kind) {
    case 'streamable-http-2025':
      return new StreamableHTTPClientTransport(new URL(`${baseUrl}/mcp`), { requestInit: { headers } });
    case 'http+sse':
      return new SSEClientTransport(new URL(`${baseUrl}/sse`), { requestInit: { headers } });
    case 'websocket':
      return new AuthenticatedWebSocketTransport(new URL(`${baseUrl.replace(/^http/, 'ws')}/ws`), headers);
  }
}

/** A v1 SDK client (2025 era) connected to the gateway over one of the 2025-era transports. */
export async function connectLegacyClient(
  kind: LegacyTransport,
  baseUrl: string,
  options: LegacyClientOptions = {},
): Promise<{ client: Client; transport: Transport; close: () => Promise<void> }> {
  const client = new Client(clientInfo, { capabilities: options.capabilities ?? {} });
  options.configure?.(client);
  const transport = legacyTransport(kind, baseUrl);
  await client.connect(transport);
  const close = async (): Promise<void> => {
    if (transport instanceof StreamableHTTPClientTransport) {
      await transport.terminateSession().catch(() => undefined);
    }
    await client.close();
  };
  return { client, transport, close };
}

export interface ModernClientOptions {
  readonly capabilities?: ModernClientCapabilities;
  readonly configure?: (client: ModernClient) => void;
}

/** A v2 SDK client pinned to MCP 2026-07-28 (stateless Streamable HTTP) on the gateway's /mcp. */
export async function connectModernClient(
  baseUrl: string,
  options: ModernClientOptions = {},
): Promise<{ client: ModernClient; close: () => Promise<void> }> {
  const client = new ModernClient(clientInfo, {
    capabilities: options.capabilities ?? {},
    versionNegotiation: { mode: { pin: modernProtocolVersion } },
  });
  options.configure?.(client);
  await client.connect(
    new ModernHttpTransport(new URL(`${baseUrl}/mcp`), { requestInit: { headers: testAdminHeaders() } }),
  );
  return { client, close: () => client.close() };
}

/** Connects over any downstream transport, for suites that only list, call, read and complete. */
export async function connectDownstream(
  transport: DownstreamTransport,
  baseUrl: string,
): Promise<DownstreamConnection> {
  if (transport === 'streamable-http-2026') {
    const { client, close } = await connectModernClient(baseUrl);
    return {
      transport,
      client: client as unknown as GatewayClient,
      protocolVersion: client.getNegotiatedProtocolVersion(),
      close,
    };
  }
  const { client, transport: wire, close } = await connectLegacyClient(transport, baseUrl);
  return {
    transport,
    client: client as unknown as GatewayClient,
    protocolVersion: wire instanceof StreamableHTTPClientTransport ? wire.protocolVersion : undefined,
    close,
  };
}

/** The text parts of a tool result, joined by newlines. */
export function toolResultText(result: unknown): string {
  const content = ((result as { content?: unknown }).content ?? []) as Array<{ type: string; text?: string }>;
  return content
    .filter((part) => part.type === 'text')
    .map((part) => part.text)
    .join('\n');
}
