import {
  type JSONRPCRequest,
  type Notification,
  ProtocolError,
  type Result,
  Server,
  type ServerContext,
} from '@modelcontextprotocol/server';
import { GatewayError } from '@gateway/mcp';
import {
  type ExchangeOutcome,
  type ExchangePeer,
  RoutedError,
  type RpcMessage,
} from '../router/router-gateway.service';

export const gatewayServerInfo = { name: 'mcp-gateway', version: '0.1.0' };

/**
 * What the gateway offers every client. The aggregated catalog decides what is really there:
 * a list is empty where no upstream has the feature, and a request no upstream serves gets
 * the upstream-style error.
 */
export const gatewayCapabilities = {
  tools: { listChanged: true },
  resources: { subscribe: true, listChanged: true },
  prompts: { listChanged: true },
  completions: {},
  logging: {},
};

export interface ForwardedRequest {
  readonly method: string;
  readonly params: Record<string, unknown> | undefined;
  readonly id: string | number;
  readonly context: ServerContext;
}

export interface GatewayServerHandlers {
  /** Serves one request through the router; the peer relays what the router sends meanwhile. */
  forward(request: ForwardedRequest, peer: ExchangePeer): Promise<ExchangeOutcome>;
  /** Turns a suspended exchange into what the client receives (a multi round-trip result). */
  suspended?(outcome: Extract<ExchangeOutcome, { kind: 'suspended' }>): Result;
  /** A client notification that the router should see. */
  notification?(notification: Notification): Promise<void>;
  /** Called once a request is answered, with the upstream that served it. */
  served?(requestId: string | number, server: string, target: string): void;
}

function responseOf(id: string | number | undefined, result: unknown): RpcMessage {
  return { jsonrpc: '2.0', id, result };
}

/**
 * The MCP server one downstream client talks to. The SDK answers initialize, server/discover
 * and ping and negotiates the protocol version; every other request goes to the router, and
 * the router's notifications and requests for the client go out on the request's own stream.
 * Errors keep their JSON-RPC code, message and data.
 */
export function createGatewayServer(
  handlers: GatewayServerHandlers,
  options: { readonly methods?: readonly string[]; readonly instructions?: string } = {},
): Server {
  const server = new Server(gatewayServerInfo, {
    capabilities: gatewayCapabilities,
    instructions:
      options.instructions ?? 'Tools, resources and prompts of every MCP server behind this gateway.',
  });
  const forward = async (request: JSONRPCRequest, context: ServerContext): Promise<Result> => {
    // A cancelled request gets no response (the spec says so), so nothing would ever end the
    // stream the client opened for it: end it here.
    context.mcpReq.signal.addEventListener('abort', () => context.http?.closeSSE?.(), { once: true });
    const forwarded: ForwardedRequest = {
      method: request.method,
      params: request.params as Record<string, unknown> | undefined,
      id: request.id,
      context,
    };
    const peer: ExchangePeer = {
      signal: context.mcpReq.signal,
      notify: (message) => context.mcpReq.notify(message as Notification),
      request: async (message) => {
        try {
          const result = await context.mcpReq.send(
            { method: message.method as never, params: message.params },
            { signal: context.mcpReq.signal },
          );
          return responseOf(message.id, result);
        } catch (error) {
          const code = error instanceof ProtocolError || error instanceof GatewayError ? error.code : -32603;
          return {
            jsonrpc: '2.0',
            id: message.id,
            error: { code, message: error instanceof Error ? error.message : String(error) },
          };
        }
      },
    };
    let outcome: ExchangeOutcome;
    try {
      outcome = await handlers.forward(forwarded, peer);
    } catch (error) {
      if (error instanceof RoutedError) handlers.served?.(request.id, error.server, error.target);
      if (error instanceof GatewayError) throw new ProtocolError(error.code, error.message, error.data);
      throw error;
    }
    if (outcome.kind === 'suspended') {
      if (!handlers.suspended)
        throw new ProtocolError(-32603, 'The request needs input this client cannot give');
      return handlers.suspended(outcome);
    }
    handlers.served?.(request.id, outcome.server, outcome.target);
    return outcome.result as Result;
  };
  if (options.methods) {
    // Known methods only: the SDK answers any other the way the revision says (2026-07-28: 404).
    const register = server.setRequestHandler.bind(server) as unknown as (
      method: string,
      handler: (request: JSONRPCRequest, context: ServerContext) => Promise<Result>,
    ) => void;
    for (const method of options.methods) register(method, forward);
  } else {
    server.fallbackRequestHandler = forward;
  }
  server.fallbackNotificationHandler = async (notification) => {
    await handlers.notification?.(notification);
  };
  return server;
}
