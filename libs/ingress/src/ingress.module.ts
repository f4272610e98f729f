import { type DynamicModule, Module } from '@nestjs/common';
import { McpAuthenticator } from './auth/mcp-authenticator';
import { ProtectedResourceController } from './auth/protected-resource.controller';
import { INGRESS_CONFIG, type IngressConfig } from './ingress-config';
import { RequestRateGate } from './limits/request-rate.gate';
import { McpController } from './mcp/mcp.controller';
import { SessionCountPublisher } from './mcp/session-count.publisher';
import { WebSocketEndpoint } from './mcp/websocket.endpoint';
import { RouterGateway } from './router/router-gateway.service';
import { DownstreamSessions } from './sessions/downstream-sessions.service';

@Module({})
export class IngressModule {
  static forRoot(config: IngressConfig): DynamicModule {
    return {
      module: IngressModule,
      controllers: [McpController, ProtectedResourceController],
      providers: [
        { provide: INGRESS_CONFIG, useValue: config },
        RouterGateway,
        McpAuthenticator,
        RequestRateGate,
        DownstreamSessions,
        SessionCountPublisher,
        WebSocketEndpoint,
      ],
    };
  }
}
