import { type DynamicModule, Module } from '@nestjs/common';
import { GrpcPackages } from '@gateway/contracts';
import { AccessControl } from './access/access-control.service';
import { CatalogFollower } from './catalog/catalog-follower.service';
import { DispatchService } from './dispatch/dispatch.service';
import { ExchangeService } from './exchange/exchange.service';
import { SessionAttachments } from './exchange/session-attachments';
import { RouterGrpcController } from './dispatch/router.grpc-controller';
import { ViewDirectory } from './catalog/view-directory';
import { ROUTER_CONFIG, type RouterConfig } from './router-config';
import { ToolReview } from './tool-review/tool-review.service';
import { UpstreamHealthPublisher } from './upstream/upstream-health.publisher';
import { UpstreamPool } from './upstream/upstream-pool';
import { UpstreamsController } from './upstream/upstreams.controller';

export const routerGrpcPackages = [GrpcPackages.router];

@Module({})
export class RouterModule {
  static forRoot(config: RouterConfig): DynamicModule {
    return {
      module: RouterModule,
      controllers: [RouterGrpcController, UpstreamsController],
      providers: [
        { provide: ROUTER_CONFIG, useValue: config },
        UpstreamPool,
        AccessControl,
        ViewDirectory,
        DispatchService,
        ExchangeService,
        SessionAttachments,
        CatalogFollower,
        UpstreamHealthPublisher,
        ToolReview,
      ],
    };
  }
}
