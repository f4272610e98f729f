import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { lastValueFrom, Subject } from 'rxjs';
import { GrpcPackages, RouterApi } from '@gateway/contracts';
import { errorReply, GatewayError, JsonRpcErrorCode, type RpcMessage } from '@gateway/mcp';
import { createGrpcClient, ReadinessRegistry } from '@gateway/platform';
import { INGRESS_CONFIG, type IngressConfig } from '../ingress-config';
import { pickNode } from './router-ring';

/** Who sent a request, as the router receives it (its verified identity, never its credential). */
export type Caller = RouterApi.Caller;

export type { RpcMessage };

/** The downstream side of one exchange: where the router's messages for the client go. */
export interface ExchangePeer {
  /** A notification for the client (progress, logging, ...). */
  notify(message: RpcMessage): Promise<void>;
  /** A request for the client (sampling, elicitation, roots); resolves with the client's response. */
  request(message: RpcMessage): Promise<RpcMessage>;
  /** Aborts when the client cancels the request or goes away. */
  readonly signal: AbortSignal;
}

export type ExchangeOutcome =
  | { readonly kind: 'result'; readonly result: unknown; readonly server: string; readonly target: string }
  | {
      readonly kind: 'suspended';
      readonly exchangeId: string;
      readonly router: string;
      readonly requests: RpcMessage[];
    };

export interface ExchangeInput {
  readonly caller: Caller;
  readonly client: RouterApi.ClientContext;
  readonly method: string;
  readonly params: unknown;
  readonly timeoutMs?: number;
  /** Resume a suspended exchange on the router that holds it. */
  readonly resume?: { readonly exchangeId: string; readonly router: string; readonly replies: RpcMessage[] };
}

interface RouterNode {
  readonly address: string;
  readonly client: RouterApi.RouterServiceClient;
  reachable: boolean;
  lastError: string;
}

/** An error the router answered for a request it routed to an upstream, with that upstream. */
export class RoutedError extends GatewayError {
  constructor(
    code: number,
    message: string,
    data: unknown,
    readonly server: string,
    readonly target: string,
  ) {
    super(code, message, data);
    this.name = 'RoutedError';
  }
}

/** gRPC status UNAVAILABLE: the replica could not be reached. */
const grpcUnavailable = 14;

/** The router replica could not be reached before it saw the request. */
class RouterUnreachable extends Error {
  constructor(override readonly cause: GatewayError) {
    super(cause.message);
  }
}

function unavailable(error: unknown): GatewayError {
  return new GatewayError(
    JsonRpcErrorCode.routerUnavailable,
    `Router unavailable: ${error instanceof Error ? error.message : String(error)}`,
  );
}

/**
 * The router tier as ingress sees it. A downstream session always goes to the same router
 * replica, chosen by rendezvous hashing of its session key over the reachable replicas; when
 * that replica goes away its sessions move to the next in rank, which re-creates their
 * upstream sessions.
 */
@Injectable()
export class RouterGateway implements OnModuleInit, OnModuleDestroy {
  private readonly nodes: RouterNode[];
  private probeTimer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(INGRESS_CONFIG) config: IngressConfig,
    private readonly readiness: ReadinessRegistry,
  ) {
    this.nodes = config.routerGrpcAddresses.map((address) => ({
      address,
      client: createGrpcClient<RouterApi.RouterServiceClient>(GrpcPackages.router, address),
      reachable: false,
      lastError: 'not checked yet',
    }));
  }

  onModuleInit(): void {
    this.readiness.register('router', () => {
      const reachable = this.nodes.filter((node) => node.reachable);
      return {
        ready: reachable.length > 0,
        detail:
          reachable.length > 0
            ? `${reachable.length}/${this.nodes.length} reachable`
            : this.nodes.map((node) => `${node.address}: ${node.lastError}`).join('; '),
      };
    });
    void this.probe();
    this.probeTimer = setInterval(() => void this.probe(), 2_000);
    this.probeTimer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.probeTimer);
  }

  /** The router replica for a session key (a random one for stateless requests). */
  private nodeFor(key: string | undefined): RouterNode {
    const reachable = this.nodes.filter((node) => node.reachable);
    const candidates = reachable.length > 0 ? reachable : this.nodes;
    const address = pickNode(
      candidates.map((node) => node.address),
      key || randomUUID(),
    );
    return candidates.find((node) => node.address === address)!;
  }

  private nodeAt(address: string): RouterNode {
    const node = this.nodes.find((candidate) => candidate.address === address);
    if (!node) {
      throw new GatewayError(JsonRpcErrorCode.invalidParams, 'The request state names an unknown router');
    }
    return node;
  }

  /** Runs one downstream request on its router, relaying the router's messages to the peer. */
  async exchange(input: ExchangeInput, peer: ExchangePeer): Promise<ExchangeOutcome> {
    if (input.resume) return this.exchangeOn(this.nodeAt(input.resume.router), input, peer);
    // A replica that died since the last probe refuses the connection before it has seen the
    // request: the request moves to the next replica in rank for the key, which is safe even
    // for a call that is not idempotent.
    for (let attempt = 0; ; attempt += 1) {
      const node = this.nodeFor(input.client.sessionKey);
      try {
        return await this.exchangeOn(node, input, peer);
      } catch (error) {
        if (!(error instanceof RouterUnreachable) || attempt >= this.nodes.length)
          throw error instanceof RouterUnreachable ? error.cause : error;
        node.reachable = false;
        node.lastError = error.message;
      }
    }
  }

  private async exchangeOn(
    node: RouterNode,
    input: ExchangeInput,
    peer: ExchangePeer,
  ): Promise<ExchangeOutcome> {
    const up = new Subject<RouterApi.ExchangeRequest>();
    const onAbort = (): void => up.next({ cancel: String(peer.signal.reason ?? 'cancelled') });
    peer.signal.addEventListener('abort', onAbort, { once: true });
    try {
      return await new Promise<ExchangeOutcome>((resolve, reject) => {
        let settled = false;
        const settle = (outcome: ExchangeOutcome | Error): void => {
          if (settled) return;
          settled = true;
          up.complete();
          if (outcome instanceof Error) reject(outcome);
          else resolve(outcome);
        };
        let heard = false;
        const down = node.client.exchange(up.asObservable());
        down.subscribe({
          next: (frame) => {
            heard = true;
            if (frame.messageJson !== undefined) {
              this.relay(JSON.parse(frame.messageJson) as RpcMessage, peer, up);
            } else if (frame.outcome) {
              const { outcome } = frame;
              if (outcome.error) {
                settle(
                  new RoutedError(
                    outcome.error.code,
                    outcome.error.message,
                    outcome.error.dataJson ? (JSON.parse(outcome.error.dataJson) as unknown) : undefined,
                    outcome.server,
                    outcome.target,
                  ),
                );
              } else {
                settle({
                  kind: 'result',
                  result: JSON.parse(outcome.resultJson ?? '{}') as unknown,
                  server: outcome.server,
                  target: outcome.target,
                });
              }
            } else if (frame.suspended) {
              settle({
                kind: 'suspended',
                exchangeId: frame.suspended.exchangeId,
                router: node.address,
                requests: frame.suspended.requestsJson.map((text) => JSON.parse(text) as RpcMessage),
              });
            }
          },
          error: (error: unknown) =>
            settle(
              !heard && (error as { code?: number }).code === grpcUnavailable
                ? new RouterUnreachable(unavailable(error))
                : unavailable(error),
            ),
          complete: () => settle(unavailable(new Error('the router ended the exchange without an outcome'))),
        });
        up.next({
          start: {
            caller: input.caller,
            client: input.client,
            method: input.method,
            paramsJson: input.params === undefined ? '' : JSON.stringify(input.params),
            timeoutMs: input.timeoutMs ?? 0,
            resumeExchangeId: input.resume?.exchangeId ?? '',
          },
        });
        for (const reply of input.resume?.replies ?? []) {
          up.next({ reply: { id: String(reply.id), messageJson: JSON.stringify(reply) } });
        }
      });
    } finally {
      peer.signal.removeEventListener('abort', onAbort);
    }
  }

  private relay(message: RpcMessage, peer: ExchangePeer, up: Subject<RouterApi.ExchangeRequest>): void {
    if (message.id === undefined) {
      void peer.notify(message).catch(() => undefined);
      return;
    }
    void peer
      .request(message)
      .catch((error: unknown) => errorReply(message.id, error))
      .then((reply) => {
        if (!up.closed) up.next({ reply: { id: String(message.id), messageJson: JSON.stringify(reply) } });
      });
  }

  /**
   * Opens the session's stream of messages that belong to no request. Returns a function that
   * closes it. onRequest answers server-to-client requests arriving on it.
   */
  attach(
    client: RouterApi.ClientContext,
    handlers: {
      onNotification(message: RpcMessage): void;
      onRequest(message: RpcMessage): Promise<RpcMessage>;
      onEnd(error?: unknown): void;
    },
  ): () => void {
    const node = this.nodeFor(client.sessionKey);
    const up = new Subject<RouterApi.AttachRequest>();
    const subscription = node.client.attach(up.asObservable()).subscribe({
      next: (frame) => {
        const message = JSON.parse(frame.messageJson) as RpcMessage;
        if (message.id === undefined) {
          handlers.onNotification(message);
          return;
        }
        void handlers
          .onRequest(message)
          .catch((error: unknown) => errorReply(message.id, error))
          .then((reply) => {
            if (!up.closed)
              up.next({ reply: { id: String(message.id), messageJson: JSON.stringify(reply) } });
          });
      },
      error: (error: unknown) => handlers.onEnd(error),
      complete: () => handlers.onEnd(),
    });
    up.next({ client });
    return () => {
      up.complete();
      subscription.unsubscribe();
    };
  }

  async notify(caller: Caller, client: RouterApi.ClientContext, message: RpcMessage): Promise<void> {
    try {
      await lastValueFrom(
        this.nodeFor(client.sessionKey).client.notify({
          caller,
          client,
          messageJson: JSON.stringify(message),
        }),
      );
    } catch (error) {
      throw unavailable(error);
    }
  }

  async closeSession(client: RouterApi.ClientContext): Promise<void> {
    try {
      await lastValueFrom(this.nodeFor(client.sessionKey).client.closeSession({ client }));
    } catch (error) {
      throw unavailable(error);
    }
  }

  private async probe(): Promise<void> {
    await Promise.all(
      this.nodes.map(async (node) => {
        try {
          await lastValueFrom(node.client.listUpstreams({}));
          node.reachable = true;
        } catch (error) {
          node.reachable = false;
          node.lastError = error instanceof Error ? error.message : String(error);
        }
      }),
    );
  }
}
