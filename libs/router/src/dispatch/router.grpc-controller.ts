import { Controller } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { RouterApi } from '@gateway/contracts';
import { ExchangeService } from '../exchange/exchange.service';
import { SessionAttachments } from '../exchange/session-attachments';
import { UpstreamPool } from '../upstream/upstream-pool';
import { DispatchService } from './dispatch.service';

@Controller()
@RouterApi.RouterServiceControllerMethods()
export class RouterGrpcController implements RouterApi.RouterServiceController {
  constructor(
    private readonly exchanges: ExchangeService,
    private readonly attachments: SessionAttachments,
    private readonly dispatcher: DispatchService,
    private readonly pool: UpstreamPool,
  ) {}

  exchange(request: Observable<RouterApi.ExchangeRequest>): Observable<RouterApi.ExchangeResponse> {
    return this.exchanges.exchange(request);
  }

  attach(request: Observable<RouterApi.AttachRequest>): Observable<RouterApi.AttachResponse> {
    return this.attachments.attach(request);
  }

  async notify(request: RouterApi.NotifyRequest): Promise<RouterApi.NotifyResponse> {
    await this.dispatcher.notify(request);
    return {};
  }

  async closeSession(request: RouterApi.CloseSessionRequest): Promise<RouterApi.CloseSessionResponse> {
    await this.dispatcher.closeSession(request);
    return {};
  }

  listUpstreams(): RouterApi.ListUpstreamsResponse {
    return {
      upstreams: this.pool.all().map((connection) => ({
        serverId: connection.definition.id,
        name: connection.name,
        state: connection.state,
        restarts: connection.restarts,
        lastError: connection.lastError,
      })),
    };
  }
}
