import { Injectable } from '@nestjs/common';
import { type Observable, Subject } from 'rxjs';
import type { RouterApi } from '@gateway/contracts';
import { GatewayError, JsonRpcErrorCode } from '@gateway/mcp';
import type { RpcMessage } from './request-channel';

interface Attachment {
  readonly client: RouterApi.ClientContext;
  readonly down: Subject<RouterApi.AttachResponse>;
  readonly pending: Map<
    string,
    { resolve(result: Record<string, unknown>): void; reject(error: Error): void }
  >;
}

/**
 * The downstream sessions attached to this router replica: where messages that belong to no
 * running request go (list_changed, resource updates, logging, server-to-client requests).
 */
@Injectable()
export class SessionAttachments {
  private readonly bySession = new Map<string, Attachment>();
  private sequence = 0;

  attach(up: Observable<RouterApi.AttachRequest>): Observable<RouterApi.AttachResponse> {
    const down = new Subject<RouterApi.AttachResponse>();
    let attachment: Attachment | undefined;
    const detach = (): void => {
      if (attachment && this.bySession.get(attachment.client.sessionKey) === attachment) {
        this.bySession.delete(attachment.client.sessionKey);
      }
      for (const pending of attachment?.pending.values() ?? [])
        pending.reject(new Error('the session detached'));
      down.complete();
    };
    up.subscribe({
      next: (frame) => {
        if (frame.client) {
          attachment = { client: frame.client, down, pending: new Map() };
          this.bySession.get(frame.client.sessionKey)?.down.complete();
          this.bySession.set(frame.client.sessionKey, attachment);
        } else if (frame.reply && attachment) {
          const pending = attachment.pending.get(frame.reply.id);
          if (!pending) return;
          attachment.pending.delete(frame.reply.id);
          const message = JSON.parse(frame.reply.messageJson) as RpcMessage;
          if (message.error)
            pending.reject(new GatewayError(message.error.code, message.error.message, message.error.data));
          else pending.resolve((message.result ?? {}) as Record<string, unknown>);
        }
      },
      complete: detach,
      error: detach,
    });
    return down.asObservable();
  }

  /** The attached sessions, optionally only those of one key. */
  sessions(sessionKey?: string): RouterApi.ClientContext[] {
    if (sessionKey !== undefined) {
      const attachment = this.bySession.get(sessionKey);
      return attachment ? [attachment.client] : [];
    }
    return [...this.bySession.values()].map((attachment) => attachment.client);
  }

  /** Sends a notification to a session; false when the session is not attached here. */
  notify(sessionKey: string, message: { method: string; params?: Record<string, unknown> }): boolean {
    const attachment = this.bySession.get(sessionKey);
    if (!attachment) return false;
    attachment.down.next({ messageJson: JSON.stringify({ jsonrpc: '2.0', ...message }) });
    return true;
  }

  /** Sends a request to a session's client and waits for its answer. */
  request(
    sessionKey: string,
    message: { method: string; params?: Record<string, unknown> },
  ): Promise<Record<string, unknown>> {
    const attachment = this.bySession.get(sessionKey);
    if (!attachment) {
      return Promise.reject(
        new GatewayError(
          JsonRpcErrorCode.internalError,
          `The client cannot receive ${message.method} now: no stream of its session is open`,
        ),
      );
    }
    this.sequence += 1;
    const id = `gw-session-${this.sequence}`;
    return new Promise((resolve, reject) => {
      attachment.pending.set(id, { resolve, reject });
      attachment.down.next({ messageJson: JSON.stringify({ jsonrpc: '2.0', id, ...message }) });
    });
  }
}
