import { randomUUID } from 'node:crypto';
import type { JSONRPCMessage, Transport } from '@modelcontextprotocol/server';
import type { WebSocket } from 'ws';
import { JsonRpcErrorCode } from '@gateway/mcp';

/**
 * The server side of MCP over WebSocket (subprotocol "mcp"): one JSON-RPC message per text
 * frame, each way. A frame that is not JSON is answered with a parse error and the connection
 * stays open.
 */
export class WebSocketServerTransport implements Transport {
  readonly sessionId = randomUUID();
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  constructor(private readonly socket: WebSocket) {}

  async start(): Promise<void> {
    this.socket.on('message', (data, isBinary) => {
      let message: JSONRPCMessage;
      try {
        message = JSON.parse(
          isBinary ? Buffer.from(data as Buffer).toString('utf8') : String(data),
        ) as JSONRPCMessage;
      } catch {
        this.reply({
          jsonrpc: '2.0',
          id: null,
          error: { code: JsonRpcErrorCode.parseError, message: 'Parse error: frame is not valid JSON' },
        });
        return;
      }
      if (
        typeof message !== 'object' ||
        message === null ||
        (message as { jsonrpc?: unknown }).jsonrpc !== '2.0'
      ) {
        this.reply({
          jsonrpc: '2.0',
          id: null,
          error: {
            code: JsonRpcErrorCode.invalidRequest,
            message: 'Invalid Request: expected a JSON-RPC 2.0 message',
          },
        });
        return;
      }
      this.onmessage?.(message);
    });
    this.socket.on('close', () => this.onclose?.());
    this.socket.on('error', (error) => this.onerror?.(error));
  }

  async send(message: JSONRPCMessage): Promise<void> {
    await new Promise<void>((resolve, reject) =>
      this.socket.send(JSON.stringify(message), (error) => (error ? reject(error) : resolve())),
    );
  }

  private reply(message: unknown): void {
    this.socket.send(JSON.stringify(message));
  }

  async close(): Promise<void> {
    this.socket.close();
  }
}
