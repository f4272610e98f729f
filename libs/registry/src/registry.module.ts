import { type DynamicModule, Module } from '@nestjs/common';
import { GrpcPackages } from '@gateway/contracts';
import { DatabaseModule } from '@gateway/platform';
import { CatalogService, REGISTRY_CONFIG } from './catalog/catalog.service';
import { RegistryGrpcController } from './catalog/registry.grpc-controller';
import { ServerEntity } from './catalog/server.entity';
import { REGISTRY_DATABASE, ServerRepository } from './catalog/server.repository';
import { ServersController } from './catalog/servers.controller';
import { CreateServers1763700000000 } from './migrations/1763700000000-create-servers.migration';
import type { RegistryConfig } from './registry-config';

export const registryGrpcPackages = [GrpcPackages.registry];

@Module({})
export class RegistryModule {
  static forRoot(config: RegistryConfig): DynamicModule {
    return {
      module: RegistryModule,
      imports: [
        DatabaseModule.forService({
          token: REGISTRY_DATABASE,
          schema: 'registry',
          entities: [ServerEntity],
          migrations: [CreateServers1763700000000],
        }),
      ],
      controllers: [RegistryGrpcController, ServersController],
      providers: [{ provide: REGISTRY_CONFIG, useValue: config }, ServerRepository, CatalogService],
    };
  }
}
