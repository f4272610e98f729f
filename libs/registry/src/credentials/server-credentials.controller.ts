import { Body, Controller, Delete, Get, HttpCode, Param, Put, Res, UseFilters } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentPrincipal, type Principal } from '@gateway/security';
import { ServerCredentialHttpErrorFilter } from './server-credential-http-error.filter';
import type { ServerCredentialView } from './server-credential.view';
import { type ServerCredentialPutView, ServerCredentialsService } from './server-credentials.service';

/** Who made an admin change: the authenticated admin, or "system" where no guard ran. */
function actorOf(principal: Principal | undefined): string {
  return principal?.id ?? 'system';
}

/** Admin REST API of a server's upstream credential; secrets go in, never out. */
@Controller('api/v1/servers/:id/credentials')
@UseFilters(ServerCredentialHttpErrorFilter)
export class ServerCredentialsController {
  constructor(private readonly credentials: ServerCredentialsService) {}

  @Get()
  get(@Param('id') id: string): Promise<ServerCredentialView> {
    return this.credentials.get(id);
  }

  /** 201 when the server had no credential, 200 when it replaced one. */
  @Put()
  async put(
    @Param('id') id: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ServerCredentialPutView> {
    const { view, created } = await this.credentials.put(id, body, actorOf(principal));
    response.status(created ? 201 : 200);
    return view;
  }

  @Delete()
  @HttpCode(204)
  async delete(@Param('id') id: string, @CurrentPrincipal() principal: Principal | undefined): Promise<void> {
    await this.credentials.delete(id, actorOf(principal));
  }
}
