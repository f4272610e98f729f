import { Controller } from '@nestjs/common';
import { RouterApi } from '@gateway/contracts';
import { UpstreamPool } from '../upstream/upstream-pool';
import { DispatchService } from './dispatch.service';

@Controller()
@RouterApi.RouterServiceControllerMethods()
export class RouterGrpcController implements RouterApi.RouterServiceController {
  constructor(
    private readonly dispatcher: DispatchService,
    private readonly pool: UpstreamPool,
  ) {}

  dispatch(request: RouterApi.DispatchRequest): Promise<RouterApi.DispatchResponse> {
    return this.dispatcher.dispatch(request);
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
