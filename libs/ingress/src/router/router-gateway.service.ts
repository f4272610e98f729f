import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { lastValueFrom } from 'rxjs';
import { GrpcPackages, RouterApi } from '@gateway/contracts';
import { GatewayError, JsonRpcErrorCode } from '@gateway/mcp';
import { createGrpcClient, ReadinessRegistry } from '@gateway/platform';
import { INGRESS_CONFIG, type IngressConfig } from '../ingress-config';

export interface Caller {
  readonly tenant: string;
  readonly principal: string;
  readonly sessionId: string;
}

export interface RoutedResult {
  readonly result: unknown;
  readonly server: string;
  readonly target: string;
}

/** The router tier as ingress sees it: one MCP request in, its result or a typed error out. */
@Injectable()
export class RouterGateway implements OnModuleInit, OnModuleDestroy {
  private readonly client: RouterApi.RouterServiceClient;
  private reachable = false;
  private lastError = 'not checked yet';
  private probeTimer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(INGRESS_CONFIG) config: IngressConfig,
    private readonly readiness: ReadinessRegistry,
  ) {
    this.client = createGrpcClient<RouterApi.RouterServiceClient>(
      GrpcPackages.router,
      config.routerGrpcAddress,
    );
  }

  onModuleInit(): void {
    this.readiness.register('router', () => ({
      ready: this.reachable,
      detail: this.reachable ? 'reachable' : this.lastError,
    }));
    void this.probe();
    this.probeTimer = setInterval(() => void this.probe(), 2_000);
    this.probeTimer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.probeTimer);
  }

  async dispatch(caller: Caller, method: string, params: unknown): Promise<RoutedResult> {
    let reply: RouterApi.DispatchResponse;
    try {
      reply = await lastValueFrom(
        this.client.dispatch({
          caller,
          method,
          paramsJson: params === undefined ? '' : JSON.stringify(params),
          timeoutMs: 0,
        }),
      );
    } catch (error) {
      throw new GatewayError(
        JsonRpcErrorCode.routerUnavailable,
        `Router unavailable: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    if (reply.error) {
      throw new GatewayError(
        reply.error.code,
        reply.error.message,
        reply.error.dataJson ? (JSON.parse(reply.error.dataJson) as unknown) : undefined,
      );
    }
    return {
      result: JSON.parse(reply.resultJson ?? '{}') as unknown,
      server: reply.server,
      target: reply.target,
    };
  }

  private async probe(): Promise<void> {
    try {
      await lastValueFrom(this.client.listUpstreams({}));
      this.reachable = true;
    } catch (error) {
      this.reachable = false;
      this.lastError = error instanceof Error ? error.message : String(error);
    }
  }
}
