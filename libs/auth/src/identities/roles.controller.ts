import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  UseFilters,
} from '@nestjs/common';
import { CurrentPrincipal, type Principal } from '@gateway/security';
import { actorOf } from '../admin-change.recorder';
import { AuthHttpErrorFilter } from '../http/auth-http-error.filter';
import { parseRequestInput, requestTenant } from '../http/request-input.parser';
import { DirectoryService, type EntryView } from './directory.service';
import { roleInputSchema, roleUpdateSchema, tenantQuerySchema } from './identity-input.schema';

/** Roles: tenant-scoped labels; what each allows is written as Cedar policies in the policy service. */
@Controller('api/v1/auth/roles')
@UseFilters(AuthHttpErrorFilter)
export class RolesController {
  constructor(private readonly directory: DirectoryService) {}

  @Get()
  async list(
    @Query() query: unknown,
    @CurrentPrincipal() principal?: Principal,
  ): Promise<{ roles: EntryView[] }> {
    const { tenant } = parseRequestInput(tenantQuerySchema, query);
    return { roles: await this.directory.list('role', requestTenant(tenant, principal)) };
  }

  @Get(':id')
  get(@Param('id') id: string): Promise<EntryView> {
    return this.directory.get('role', id);
  }

  @Post()
  create(@Body() body: unknown, @CurrentPrincipal() principal?: Principal): Promise<EntryView> {
    const input = parseRequestInput(roleInputSchema, body);
    return this.directory.create(
      'role',
      { ...input, tenant: requestTenant(input.tenant, principal) },
      actorOf(principal),
    );
  }

  @Patch(':id')
  update(
    @Param('id') id: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal?: Principal,
  ): Promise<EntryView> {
    return this.directory.update('role', id, parseRequestInput(roleUpdateSchema, body), actorOf(principal));
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(@Param('id') id: string, @CurrentPrincipal() principal?: Principal): Promise<void> {
    await this.directory.delete('role', id, actorOf(principal));
  }
}
