import { Controller } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { RegistryApi, type ServerDefinitionValue } from '@gateway/contracts';
import { CatalogNotLoadedError, CatalogService } from './catalog.service';

export function toProtoServer(server: ServerDefinitionValue): RegistryApi.ServerDefinition {
  return {
    id: server.id,
    name: server.name,
    description: server.description ?? '',
    transport: server.transport,
    stdio: server.stdio && { ...server.stdio, cwd: server.stdio.cwd ?? '' },
    http: server.http && { ...server.http, replicas: server.http.replicas ?? [] },
    enabled: server.enabled,
    revision: server.revision,
    sessions: server.sessions,
    failMode: server.failMode,
    timeouts: server.timeouts,
    healthCheck: server.healthCheck,
  };
}

function unavailableWhileLoading<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof CatalogNotLoadedError) {
      throw new RpcException({ code: GrpcStatus.UNAVAILABLE, message: error.message });
    }
    throw error;
  }
}

@Controller()
@RegistryApi.RegistryServiceControllerMethods()
export class RegistryGrpcController implements RegistryApi.RegistryServiceController {
  constructor(private readonly catalog: CatalogService) {}

  listServers(): RegistryApi.ListServersResponse {
    return { servers: unavailableWhileLoading(() => this.catalog.list()).map(toProtoServer) };
  }

  getServer(request: RegistryApi.GetServerRequest): RegistryApi.GetServerResponse {
    const server = unavailableWhileLoading(() => this.catalog.get(request.id));
    if (!server)
      throw new RpcException({ code: GrpcStatus.NOT_FOUND, message: `no server with id "${request.id}"` });
    return { server: toProtoServer(server) };
  }
}
