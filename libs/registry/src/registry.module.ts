import { type DynamicModule, Module } from '@nestjs/common';
import { GrpcPackages } from '@gateway/contracts';
import { DatabaseModule } from '@gateway/platform';
import { CatalogService, REGISTRY_CONFIG } from './catalog/catalog.service';
import { RegistryGrpcController } from './catalog/registry.grpc-controller';
import { ServerEntity } from './catalog/server.entity';
import { REGISTRY_DATABASE, ServerRepository } from './catalog/server.repository';
import { ServersController } from './catalog/servers.controller';
import { CreateServerCredentials1764350000000 } from './credentials/1764350000000-create-server-credentials.migration';
import { ServerCredentialEntity } from './credentials/server-credential.entity';
import { serverCredentialProviders } from './credentials/server-credential.providers';
import { ServerCredentialsController } from './credentials/server-credentials.controller';
import { CreateServers1763700000000 } from './migrations/1763700000000-create-servers.migration';
import { CreateVirtualServers1764200000000 } from './migrations/1764200000000-create-virtual-servers.migration';
import type { RegistryConfig } from './registry-config';
import {
  toolPinControllers,
  toolPinEntities,
  toolPinMigrations,
  toolPinProviders,
} from './tool-pins/tool-pins.providers';
import { loadToolReviewConfig, type ToolReviewConfig } from './tool-pins/tool-review.config';
import { VirtualServerEntity } from './virtual-servers/virtual-server.entity';
import { VirtualServerRepository } from './virtual-servers/virtual-server.repository';
import { VirtualServersController } from './virtual-servers/virtual-servers.controller';
import { VirtualServersService } from './virtual-servers/virtual-servers.service';

export const registryGrpcPackages = [GrpcPackages.registry];

export interface RegistryModuleOptions {
  /** Postgres schema of the registry's tables; tests give each run its own. */
  readonly schema?: string;
  /** The tool review's settings; read from REGISTRY_TOOL_REVIEW by default. */
  readonly toolReview?: ToolReviewConfig;
  /** Where the master key and the config file's `valueFromEnv` secrets are read; process.env by default. */
  readonly env?: NodeJS.ProcessEnv;
}

@Module({})
export class RegistryModule {
  static forRoot(config: RegistryConfig, options: RegistryModuleOptions = {}): DynamicModule {
    return {
      module: RegistryModule,
      imports: [
        DatabaseModule.forService({
          token: REGISTRY_DATABASE,
          schema: options.schema ?? 'registry',
          entities: [ServerEntity, VirtualServerEntity, ServerCredentialEntity, ...toolPinEntities],
          migrations: [
            CreateServers1763700000000,
            CreateVirtualServers1764200000000,
            CreateServerCredentials1764350000000,
            ...toolPinMigrations,
          ],
        }),
      ],
      controllers: [
        RegistryGrpcController,
        ServersController,
        VirtualServersController,
        ServerCredentialsController,
        ...toolPinControllers,
      ],
      providers: [
        { provide: REGISTRY_CONFIG, useValue: config },
        ServerRepository,
        CatalogService,
        VirtualServerRepository,
        VirtualServersService,
        ...toolPinProviders(options.toolReview ?? loadToolReviewConfig(options.env ?? process.env)),
        ...serverCredentialProviders(config, options.env ?? process.env),
      ],
    };
  }
}
