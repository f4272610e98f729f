import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { ServerDefinitionValue } from '@gateway/contracts';
import { GatewayError, JsonRpcErrorCode } from '@gateway/mcp';
import type { Logger } from '@gateway/platform';
import { createClientTransport } from './client-transport.factory';

export type UpstreamState = 'connecting' | 'ready' | 'backoff' | 'stopped';

export interface UpstreamConnectionOptions {
  readonly connectTimeoutMs: number;
  readonly restartBackoff: { readonly initialMs: number; readonly maxMs: number };
  readonly logger: Logger;
  /** Creates the transport; replaceable so supervision can be tested against real failures. */
  readonly createTransport?: typeof createClientTransport;
}

const clientInfo = { name: 'mcp-gateway', version: '0.1.0' };

/**
 * One supervised connection to one upstream MCP server. When the server goes away (an stdio
 * process exits, an HTTP server drops) it reconnects with capped exponential backoff; calls in
 * the gap fail at once with an error naming the server instead of hanging.
 */
export class UpstreamConnection {
  private client: Client | undefined;
  private currentState: UpstreamState = 'stopped';
  private failures = 0;
  private restartCount = 0;
  private lastErrorMessage = '';
  private restartTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    readonly definition: ServerDefinitionValue,
    private readonly options: UpstreamConnectionOptions,
  ) {}

  get state(): UpstreamState {
    return this.currentState;
  }

  get restarts(): number {
    return this.restartCount;
  }

  get lastError(): string {
    return this.lastErrorMessage;
  }

  get name(): string {
    return this.definition.name;
  }

  start(): void {
    void this.connect();
  }

  /** The connected client, or a GatewayError saying why the server cannot be used now. */
  requireClient(): Client {
    if (this.client && this.currentState === 'ready') return this.client;
    const reason = this.lastErrorMessage ? `: ${this.lastErrorMessage}` : '';
    throw new GatewayError(
      JsonRpcErrorCode.upstreamUnavailable,
      `Upstream server "${this.name}" is unavailable (${this.currentState}${reason})`,
      { server: this.name, state: this.currentState },
    );
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.currentState = 'stopped';
    clearTimeout(this.restartTimer);
    const client = this.client;
    this.client = undefined;
    await client?.close().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    this.currentState = 'connecting';
    const client = new Client(clientInfo, { capabilities: {} });
    try {
      const transport = this.createTransport();
      client.onclose = () => this.onClosed(client);
      await client.connect(transport, { timeout: this.options.connectTimeoutMs });
      if (this.stopped) {
        await client.close();
        return;
      }
      this.client = client;
      this.currentState = 'ready';
      this.failures = 0;
      this.options.logger.info({ server: this.name, restarts: this.restartCount }, 'upstream connected');
    } catch (error) {
      client.onclose = undefined;
      await client.close().catch(() => undefined);
      this.recordFailure(error instanceof Error ? error.message : String(error));
    }
  }

  private createTransport(): Transport {
    const create = this.options.createTransport ?? createClientTransport;
    return create(this.definition, {
      onStderrLine: (line) => this.options.logger.info({ server: this.name, stream: 'stderr' }, line),
    });
  }

  private onClosed(client: Client): void {
    if (client !== this.client || this.stopped) return;
    this.client = undefined;
    this.recordFailure('connection closed (process exited or server went away)');
  }

  private recordFailure(message: string): void {
    if (this.stopped) return;
    this.lastErrorMessage = message;
    const { initialMs, maxMs } = this.options.restartBackoff;
    const delay = Math.min(initialMs * 2 ** this.failures, maxMs);
    this.failures += 1;
    this.restartCount += 1;
    this.currentState = 'backoff';
    this.options.logger.warn(
      { server: this.name, error: message, retryInMs: delay },
      'upstream down; reconnecting',
    );
    this.restartTimer = setTimeout(() => void this.connect(), delay);
  }
}
