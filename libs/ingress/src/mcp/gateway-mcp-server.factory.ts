import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';

const gatewayServerInfo = { name: 'mcp-gateway', version: '0.1.0' };

export interface ForwardedRequest {
  readonly method: string;
  readonly params: unknown;
  readonly requestId: string | number;
}

/** Handles a request the gateway forwards to the router; errors carry a JSON-RPC `code`. */
export type ForwardRequest = (request: ForwardedRequest) => Promise<unknown>;

/**
 * The MCP server one downstream session talks to. The SDK answers initialize and ping and
 * negotiates the protocol version; every other request goes to the router. Errors thrown by
 * forward() keep their JSON-RPC code and message (the SDK copies `code`, `message`, `data`).
 */
export function createGatewayMcpServer(forward: ForwardRequest): Server {
  const server = new Server(gatewayServerInfo, {
    capabilities: { tools: {} },
    instructions: 'Tools of every MCP server behind this gateway.',
  });
  const handle = async (
    request: { method: string; params?: unknown },
    extra: { requestId: string | number },
  ): Promise<never> =>
    (await forward({ method: request.method, params: request.params, requestId: extra.requestId })) as never;
  server.setRequestHandler(ListToolsRequestSchema, handle);
  server.setRequestHandler(CallToolRequestSchema, handle);
  return server;
}
