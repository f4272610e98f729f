import { Body, Controller, Delete, Get, HttpCode, Param, Put, Res, UseFilters } from '@nestjs/common';
import type { Response } from 'express';
import { RegistryHttpErrorFilter } from '../registry-http-error.filter';
import { type VirtualServerView, VirtualServersService } from './virtual-servers.service';

/** Admin REST API of the virtual servers; the endpoint agents use is served by ingress. */
@Controller('api/v1/virtual-servers')
@UseFilters(RegistryHttpErrorFilter)
export class VirtualServersController {
  constructor(private readonly virtualServers: VirtualServersService) {}

  @Get()
  list(): { virtualServers: VirtualServerView[] } {
    return { virtualServers: this.virtualServers.list() };
  }

  @Get(':name')
  get(@Param('name') name: string): VirtualServerView {
    return this.virtualServers.get(name);
  }

  /** 201 when it created the virtual server, 200 when it replaced one. */
  @Put(':name')
  async put(
    @Param('name') name: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) response: Response,
  ): Promise<VirtualServerView> {
    const { view, created } = await this.virtualServers.put(name, body);
    response.status(created ? 201 : 200);
    return view;
  }

  @Delete(':name')
  @HttpCode(204)
  async delete(@Param('name') name: string): Promise<void> {
    await this.virtualServers.delete(name);
  }
}
