import { type JSONRPCMessage, parseJSONRPCMessage, type Transport } from '@modelcontextprotocol/client';
import WebSocket from 'ws';

/** The headers of one upgrade request, and what to do when the server refuses them (401). */
export interface UpgradeCredentials {
  readonly headers: Readonly<Record<string, string>>;
  readonly refused?: () => void;
}

class UpgradeRefusedError extends Error {
  constructor(readonly status: number | undefined) {
    super(`WebSocket upgrade refused: HTTP ${status}`);
  }
}

/**
 * MCP over WebSocket (subprotocol "mcp", one JSON-RPC message per text frame). The SDK's own
 * WebSocket client transport uses the browser WebSocket API, which cannot send headers: this one
 * (on `ws`) sends the server's credentials, Authorization included, with the upgrade, and tries
 * once more with new ones when an issued token is refused.
 */
export class WebSocketClientTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  private socket: WebSocket | undefined;
  private started = false;

  constructor(
    private readonly url: URL,
    private readonly credentials: () => Promise<UpgradeCredentials>,
  ) {}

  async start(): Promise<void> {
    if (this.started) throw new Error('WebSocketClientTransport already started');
    this.started = true;
    const first = await this.credentials();
    try {
      await this.open(first.headers);
    } catch (error) {
      if (!(error instanceof UpgradeRefusedError) || error.status !== 401 || !first.refused) throw error;
      first.refused();
      await this.open((await this.credentials()).headers);
    }
  }

  private open(headers: Readonly<Record<string, string>>): Promise<void> {
    const socket = new WebSocket(this.url, 'mcp', { headers: { ...headers } });
    this.socket = socket;
    return new Promise((resolve, reject) => {
      // A refused upgrade may be tried again: only an open socket's end closes the transport.
      socket.once('open', () => {
        socket.on('close', () => this.onclose?.());
        resolve();
      });
      socket.once('error', reject);
      socket.on('error', (error) => this.onerror?.(error));
      socket.once('unexpected-response', (request, response) => {
        request.destroy();
        reject(new UpgradeRefusedError(response.statusCode));
      });
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
