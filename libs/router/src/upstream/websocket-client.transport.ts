import { type JSONRPCMessage, parseJSONRPCMessage, type Transport } from '@modelcontextprotocol/client';
import WebSocket from 'ws';

/**
 * MCP over WebSocket (subprotocol "mcp", one JSON-RPC message per text frame). The SDK's own
 * WebSocket client transport uses the browser WebSocket API, which cannot send headers: this one
 * (on `ws`) sends the server's configured headers, Authorization included, with the upgrade.
 */
export class WebSocketClientTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  private socket: WebSocket | undefined;

  constructor(
    private readonly url: URL,
    private readonly headers: Readonly<Record<string, string>>,
  ) {}

  start(): Promise<void> {
    if (this.socket) throw new Error('WebSocketClientTransport already started');
    const socket = new WebSocket(this.url, 'mcp', { headers: { ...this.headers } });
    this.socket = socket;
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
      socket.once('unexpected-response', (request, response) => {
        request.destroy();
        reject(new Error(`WebSocket upgrade refused: HTTP ${response.statusCode}`));
      });
      socket.on('error', (error) => this.onerror?.(error));
      socket.on('close', () => this.onclose?.());
      socket.on('message', (data) => this.receive(String(data)));
    });
  }

  async send(message: JSONRPCMessage): Promise<void> {
    const socket = this.socket;
    if (socket?.readyState !== WebSocket.OPEN) throw new Error('WebSocket is not open');
    await new Promise<void>((resolve, reject) =>
      socket.send(JSON.stringify(message), (error) => (error ? reject(error) : resolve())),
    );
  }

  /** A closing handshake when open (bounded), otherwise the socket is dropped. */
  async close(): Promise<void> {
    const socket = this.socket;
    if (!socket || socket.readyState === WebSocket.CLOSED) return;
    if (socket.readyState !== WebSocket.OPEN) {
      socket.terminate();
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        socket.terminate();
        resolve();
      }, 1_000);
      socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.close();
    });
  }

  private receive(data: string): void {
    let message: JSONRPCMessage;
    try {
      message = parseJSONRPCMessage(JSON.parse(data));
    } catch (error) {
      this.onerror?.(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    this.onmessage?.(message);
  }
}
