import type { IncomingHttpHeaders } from 'node:http';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  type JSONRPCMessage,
  JSONRPCMessageSchema,
  type MessageExtraInfo,
} from '@modelcontextprotocol/sdk/types.js';
import type { WebSocket } from 'ws';

/**
 * The server side of MCP over WebSocket (subprotocol "mcp", one JSON-RPC message per text frame),
 * which the v1 SDK only ships for clients: the gateway's WebSocket upstreams need a real peer.
 * Handlers see the upgrade request's headers as `requestInfo`, as over HTTP.
 */
export class WebSocketServerTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;

  constructor(
    private readonly socket: WebSocket,
    private readonly headers: IncomingHttpHeaders,
  ) {}

  async start(): Promise<void> {
    this.socket.on('message', (data) => {
      try {
        this.onmessage?.(JSONRPCMessageSchema.parse(JSON.parse(String(data))), {
          requestInfo: { headers: this.headers },
        });
      } catch (error) {
        this.onerror?.(error instanceof Error ? error : new Error(String(error)));
      }
    });
    this.socket.on('close', () => this.onclose?.());
    this.socket.on('error', (error) => this.onerror?.(error));
  }

  async send(message: JSONRPCMessage): Promise<void> {
    this.socket.send(JSON.stringify(message));
  }

  async close(): Promise<void> {
    this.socket.close();
  }
}
