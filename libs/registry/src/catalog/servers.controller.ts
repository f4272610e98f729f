import { Controller, Get, NotFoundException, Param, ServiceUnavailableException } from '@nestjs/common';
import type { ServerDefinitionValue } from '@gateway/contracts';
import { CatalogNotLoadedError, CatalogService } from './catalog.service';

/** Read side of the admin REST API for the catalog. */
@Controller('api/v1/servers')
export class ServersController {
  constructor(private readonly catalog: CatalogService) {}

  @Get()
  list(): { servers: ServerDefinitionValue[] } {
    return { servers: this.read(() => this.catalog.list()) };
  }

  @Get(':id')
  get(@Param('id') id: string): ServerDefinitionValue {
    const server = this.read(() => this.catalog.get(id));
    if (!server) throw new NotFoundException(`no server with id "${id}"`);
    return server;
  }

  private read<T>(reader: () => T): T {
    try {
      return reader();
    } catch (error) {
      if (error instanceof CatalogNotLoadedError) throw new ServiceUnavailableException(error.message);
      throw error;
    }
  }
}
