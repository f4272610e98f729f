import { Controller } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import { status as GrpcStatus } from '@grpc/grpc-js';
import {
  RegistryApi,
  type ServerDefinitionValue,
  type VirtualServerDefinitionValue,
} from '@gateway/contracts';
import { reportToolsOverGrpc } from '../tool-pins/tool-pins.grpc';
import { ToolPinsService } from '../tool-pins/tool-pins.service';
import { VirtualServersNotLoadedError } from '../virtual-servers/virtual-server.errors';
import { VirtualServersService } from '../virtual-servers/virtual-servers.service';
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
    credentials: server.credentials,
  };
}

export function toProtoVirtualServer(
  virtualServer: VirtualServerDefinitionValue,
): RegistryApi.VirtualServerDefinition {
  return {
    name: virtualServer.name,
    description: virtualServer.description,
    servers: virtualServer.servers ?? [],
    tools: virtualServer.tools ?? [],
    resources: virtualServer.resources ?? [],
    prompts: virtualServer.prompts ?? [],
    revision: virtualServer.revision,
  };
}

function unavailableWhileLoading<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof CatalogNotLoadedError || error instanceof VirtualServersNotLoadedError) {
      throw new RpcException({ code: GrpcStatus.UNAVAILABLE, message: error.message });
    }
    throw error;
  }
}

@Controller()
@RegistryApi.RegistryServiceControllerMethods()
export class RegistryGrpcController implements RegistryApi.RegistryServiceController {
  constructor(
    private readonly catalog: CatalogService,
    private readonly virtualServers: VirtualServersService,
    private readonly toolPins: ToolPinsService,
  ) {}

  listServers(): RegistryApi.ListServersResponse {
    return { servers: unavailableWhileLoading(() => this.catalog.list()).map(toProtoServer) };
  }

  getServer(request: RegistryApi.GetServerRequest): RegistryApi.GetServerResponse {
    const server = unavailableWhileLoading(() => this.catalog.get(request.id));
    if (!server)
      throw new RpcException({ code: GrpcStatus.NOT_FOUND, message: `no server with id "${request.id}"` });
    return { server: toProtoServer(server) };
  }

  listVirtualServers(): RegistryApi.ListVirtualServersResponse {
    const views = unavailableWhileLoading(() => this.virtualServers.list());
    return { virtualServers: views.map((view) => toProtoVirtualServer(view.virtualServer)) };
  }

  reportTools(request: RegistryApi.ReportToolsRequest): Promise<RegistryApi.ReportToolsResponse> {
    return reportToolsOverGrpc(this.toolPins, request);
  }
}
