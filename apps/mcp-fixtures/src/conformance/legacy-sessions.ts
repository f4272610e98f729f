import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import { isInitializeRequest, type McpServerFactory } from '@modelcontextprotocol/server';
import { InMemoryEventStore } from './in-memory-event.store';
import { writeJsonRpcError } from './json-rpc-error.response';

/**
 * The 2025-era side of the endpoint: sessionful Streamable HTTP (initialize opens a session, the
 * Mcp-Session-Id header names it, GET opens its notification stream, DELETE ends it). One server
 * instance and one transport per session, from the same factory as the 2026-07-28 side.
 */
export class LegacySessions {
  private readonly transports = new Map<string, NodeStreamableHTTPServerTransport>();

  constructor(private readonly factory: McpServerFactory) {}

  async handle(request: IncomingMessage, response: ServerResponse, body: unknown): Promise<void> {
    const sessionId = request.headers['mcp-session-id'];
    if (typeof sessionId === 'string') {
      const transport = this.transports.get(sessionId);
      // Streamable HTTP: a session the server does not know (never opened, or deleted) is a 404.
      if (!transport) return writeJsonRpcError(response, 404, -32001, 'Session not found');
      return transport.handleRequest(request, response, body);
    }
    if (request.method === 'POST' && isInitializeRequest(body)) {
      const transport = await this.open();
      return transport.handleRequest(request, response, body);
    }
    writeJsonRpcError(response, 400, -32000, 'Bad Request: no valid session id; send initialize first');
  }

  async closeAll(): Promise<void> {
    const transports = [...this.transports.values()];
    this.transports.clear();
    await Promise.allSettled(transports.map((transport) => transport.close()));
  }

  private async open(): Promise<NodeStreamableHTTPServerTransport> {
    const transport: NodeStreamableHTTPServerTransport = new NodeStreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      eventStore: new InMemoryEventStore(),
      retryInterval: 1000,
      onsessioninitialized: (id) => {
        this.transports.set(id, transport);
      },
      onsessionclosed: (id) => {
        this.transports.delete(id);
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) this.transports.delete(transport.sessionId);
    };
    const server = await this.factory({ era: 'legacy' });
    await server.connect(transport);
    return transport;
  }
}
