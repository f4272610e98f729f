import type { IncomingMessage } from 'node:http';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { type JSONRPCMessage, JSONRPCMessageSchema } from '@modelcontextprotocol/sdk/types.js';
import WebSocket, { type RawData } from 'ws';

/**
 * MCP over WebSocket (subprotocol "mcp") for the e2e clients, with headers on the upgrade request.
 * The gateway authenticates a WebSocket session once, at the handshake, and the SDK's
 * WebSocketClientTransport opens the global WebSocket, whose API cannot set a header.
 */
export class AuthenticatedWebSocketTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  private socket: WebSocket | undefined;

  constructor(
    private readonly url: URL,
    private readonly headers: Readonly<Record<string, string>>,
  ) {}

  start(): Promise<void> {
    if (this.socket) throw new Error('the WebSocket transport is already started');
    const socket = new WebSocket(this.url, 'mcp', { headers: { ...this.headers } });
    this.socket = socket;
    let opened = false;
    return new Promise<void>((resolve, reject) => {
      socket.on('error', (error) => (opened ? this.onerror?.(error) : reject(error)));
      // A refused upgrade (401, 403...) is a plain HTTP answer whose body says why.
      socket.once('unexpected-response', (_request, response) => {
        void bodyOf(response).then((body) => {
          reject(new Error(`the WebSocket upgrade was refused: HTTP ${response.statusCode} ${body}`));
          socket.terminate();
        });
      });
      socket.once('open', () => {
        opened = true;
        resolve();
      });
      socket.on('close', () => this.onclose?.());
      socket.on('message', (data, isBinary) => this.deliver(data, isBinary));
    });
  }

  send(message: JSONRPCMessage): Promise<void> {
    const socket = this.socket;
    if (socket?.readyState !== WebSocket.OPEN) return Promise.reject(new Error('the WebSocket is not open'));
    return new Promise((resolve, reject) =>
      socket.send(JSON.stringify(message), (error) => (error ? reject(error) : resolve())),
    );
  }

  /** Ends the connection with a closing handshake, or drops it if it never opened. */
  async close(): Promise<void> {
    const socket = this.socket;
    if (!socket || socket.readyState === WebSocket.CLOSED) return;
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    if (socket.readyState === WebSocket.OPEN) socket.close(1000);
    else if (socket.readyState === WebSocket.CONNECTING) socket.terminate();
    await closed;
  }

  private deliver(data: RawData, isBinary: boolean): void {
    if (isBinary) {
      this.onerror?.(new Error('a binary WebSocket frame: MCP messages are text frames'));
      return;
    }
    const frame = Array.isArray(data)
      ? Buffer.concat(data)
      : Buffer.isBuffer(data)
        ? data
        : Buffer.from(data);
    const text = frame.toString('utf8');
    let message: JSONRPCMessage;
    try {
      message = JSONRPCMessageSchema.parse(JSON.parse(text));
    } catch (error) {
      this.onerror?.(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    this.onmessage?.(message);
  }
}

function bodyOf(response: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    response.on('error', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}
