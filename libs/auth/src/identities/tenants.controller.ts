import { Body, Controller, Get, Param, Post, UseFilters } from '@nestjs/common';
import { CurrentPrincipal, type Principal } from '@gateway/security';
import { actorOf } from '../admin-change.recorder';
import { AuthHttpErrorFilter } from '../http/auth-http-error.filter';
import { parseRequestInput } from '../http/request-input.parser';
import { DirectoryService, type TenantView } from './directory.service';
import { tenantInputSchema } from './identity-input.schema';

@Controller('api/v1/auth/tenants')
@UseFilters(AuthHttpErrorFilter)
export class TenantsController {
  constructor(private readonly directory: DirectoryService) {}

  @Get()
  async list(): Promise<{ tenants: TenantView[] }> {
    return { tenants: await this.directory.listTenants() };
  }

  @Get(':name')
  get(@Param('name') name: string): Promise<TenantView> {
    return this.directory.getTenant(name);
  }

  @Post()
  create(@Body() body: unknown, @CurrentPrincipal() principal?: Principal): Promise<TenantView> {
    return this.directory.createTenant(parseRequestInput(tenantInputSchema, body), actorOf(principal));
  }
}
