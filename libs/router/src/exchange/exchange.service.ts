import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { context } from '@opentelemetry/api';
import { type Observable, Subject } from 'rxjs';
import type { RouterApi } from '@gateway/contracts';
import { JsonRpcErrorCode } from '@gateway/mcp';
import { createLogger } from '@gateway/platform';
import { DispatchService } from '../dispatch/dispatch.service';
import { RequestChannel } from './request-channel';

/** How long a request suspended for a 2026-07-28 client's input waits for the client to come back. */
const suspendedLifetimeMs = 5 * 60_000;

/** Serves the Exchange stream: one downstream request per stream, run by the dispatcher. */
@Injectable()
export class ExchangeService implements OnModuleDestroy {
  private readonly logger = createLogger('exchange');
  private readonly suspended = new Map<string, { channel: RequestChannel; timer: NodeJS.Timeout }>();

  constructor(private readonly dispatcher: DispatchService) {}

  exchange(up: Observable<RouterApi.ExchangeRequest>): Observable<RouterApi.ExchangeResponse> {
    // The stream's frames arrive in whatever context the HTTP/2 session emits them in; the
    // request is served in the context of its own call (its server span), so its upstream
    // requests belong to its trace.
    const callContext = context.active();
    const down = new Subject<RouterApi.ExchangeResponse>();
    let channel: RequestChannel | undefined;
    up.subscribe({
      next: (frame) => {
        if (frame.start) channel = context.with(callContext, () => this.begin(frame.start!, down));
        else if (frame.reply) channel?.answer(frame.reply);
        else if (frame.cancel !== undefined) channel?.cancel(frame.cancel || 'cancelled');
      },
      error: () => {
        if (channel && !channel.suspended) channel.cancel('ingress went away');
      },
    });
    return down.asObservable();
  }

  private begin(
    start: RouterApi.ExchangeStart,
    down: Subject<RouterApi.ExchangeResponse>,
  ): RequestChannel | undefined {
    if (start.resumeExchangeId) {
      const held = this.suspended.get(start.resumeExchangeId);
      if (!held) {
        down.next({
          outcome: {
            error: {
              code: JsonRpcErrorCode.invalidParams,
              message:
                'The request this state belongs to is gone (it expired or its router restarted); send it again',
              dataJson: '',
            },
            server: '',
            target: '',
          },
        });
        down.complete();
        return undefined;
      }
      this.suspended.delete(start.resumeExchangeId);
      clearTimeout(held.timer);
      held.channel.resume(down);
      return held.channel;
    }
    const channel = new RequestChannel(start.client ?? emptyClient, down);
    channel.onSuspend = (suspended) => this.hold(suspended);
    void this.dispatcher
      .serve(start, channel)
      .then((outcome) => channel.finish(outcome))
      .catch((error: unknown) => {
        this.logger.error({ err: error, method: start.method }, 'exchange failed');
        channel.finish({
          error: { code: JsonRpcErrorCode.internalError, message: String(error), dataJson: '' },
          server: '',
          target: '',
        });
      });
    return channel;
  }

  private hold(channel: RequestChannel): void {
    const timer = setTimeout(() => {
      this.suspended.delete(channel.id);
      channel.cancel('the client did not come back with the input');
    }, suspendedLifetimeMs);
    timer.unref();
    this.suspended.set(channel.id, { channel, timer });
  }

  onModuleDestroy(): void {
    for (const { channel, timer } of this.suspended.values()) {
      clearTimeout(timer);
      channel.cancel('router shutting down');
    }
    this.suspended.clear();
  }
}

const emptyClient: RouterApi.ClientContext = {
  sessionKey: '',
  era: 'legacy',
  protocolVersion: '',
  capabilitiesJson: '{}',
  clientInfoJson: '',
  view: '',
};
