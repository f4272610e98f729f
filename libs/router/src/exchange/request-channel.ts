import { randomUUID } from 'node:crypto';
import type { Subject } from 'rxjs';
import type { RouterApi } from '@gateway/contracts';
import { GatewayError, JsonRpcErrorCode, type RpcMessage } from '@gateway/mcp';

export type { RpcMessage };

interface PendingAnswer {
  readonly message: RpcMessage;
  resolve(result: Record<string, unknown>): void;
  reject(error: Error): void;
}

/**
 * The router's end of one downstream request: what the upstreams send for the client goes down
 * the exchange stream, the client's answers come back up. A 2025-era client receives
 * server-to-client requests in-stream. A 2026-07-28 client cannot: the channel suspends, the
 * stream ends with the held requests, and a later exchange that resumes it (on any ingress
 * replica) brings the answers and carries the rest of the request.
 */
export class RequestChannel {
  readonly id = randomUUID();
  private readonly abort = new AbortController();
  private readonly pending = new Map<string, PendingAnswer>();
  private sequence = 0;
  private down: Subject<RouterApi.ExchangeResponse> | undefined;
  private suspendTimer: NodeJS.Timeout | undefined;
  /** Requests waiting to go to a 2026-07-28 client in the next suspension. */
  private held: PendingAnswer[] = [];
  /** Called when the channel suspends, so the exchange service can find it on resumption. */
  onSuspend?: (channel: RequestChannel) => void;

  constructor(
    readonly client: RouterApi.ClientContext,
    down: Subject<RouterApi.ExchangeResponse>,
  ) {
    this.down = down;
  }

  get signal(): AbortSignal {
    return this.abort.signal;
  }

  get suspended(): boolean {
    return this.down === undefined;
  }

  cancel(reason: string): void {
    this.abort.abort(
      new GatewayError(JsonRpcErrorCode.requestCancelled, `Cancelled by the client: ${reason}`),
    );
    for (const answer of this.pending.values()) answer.reject(new Error(`cancelled: ${reason}`));
    this.pending.clear();
  }

  /** A notification for the client. While suspended it is dropped with the stream it belonged to. */
  notify(message: { method: string; params?: Record<string, unknown> }): void {
    this.down?.next({ messageJson: JSON.stringify({ jsonrpc: '2.0', ...message }) });
  }

  /** A request for the client; resolves with its result, rejects with its error. */
  request(message: { method: string; params?: Record<string, unknown> }): Promise<Record<string, unknown>> {
    this.sequence += 1;
    const rpc: RpcMessage = { jsonrpc: '2.0', id: `gw-${this.id.slice(0, 8)}-${this.sequence}`, ...message };
    return new Promise((resolve, reject) => {
      const answer: PendingAnswer = { message: rpc, resolve, reject };
      this.pending.set(String(rpc.id), answer);
      if (this.client.era === 'modern') {
        this.held.push(answer);
        // Requests an upstream sends together go to the client in one round.
        clearTimeout(this.suspendTimer);
        this.suspendTimer = setTimeout(() => this.suspend(), 20);
      } else {
        this.down?.next({ messageJson: JSON.stringify(rpc) });
      }
    });
  }

  private suspend(): void {
    if (!this.down || this.held.length === 0) return;
    const requests = this.held.map((answer) => JSON.stringify(answer.message));
    this.held = [];
    const down = this.down;
    this.down = undefined;
    this.onSuspend?.(this);
    down.next({ suspended: { exchangeId: this.id, requestsJson: requests } });
    down.complete();
  }

  /** Continues on a new exchange stream after a suspension. */
  resume(down: Subject<RouterApi.ExchangeResponse>): void {
    this.down = down;
  }

  /** The client's response to one of this channel's requests. */
  answer(reply: RouterApi.ClientReply): void {
    const answer = this.pending.get(reply.id);
    if (!answer) return;
    this.pending.delete(reply.id);
    const message = JSON.parse(reply.messageJson) as RpcMessage;
    if (message.error)
      answer.reject(new GatewayError(message.error.code, message.error.message, message.error.data));
    else answer.resolve((message.result ?? {}) as Record<string, unknown>);
  }

  /** Ends the channel with the request's outcome. */
  finish(outcome: RouterApi.DispatchResponse): void {
    clearTimeout(this.suspendTimer);
    const down = this.down;
    this.down = undefined;
    down?.next({ outcome });
    down?.complete();
    for (const answer of this.pending.values()) answer.reject(new Error('the request is over'));
    this.pending.clear();
  }
}
