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
import { userInputSchema, userUpdateSchema, tenantQuerySchema } from './identity-input.schema';

/** Users: people who hold API keys; deleting one revokes its keys. */
@Controller('api/v1/auth/users')
@UseFilters(AuthHttpErrorFilter)
export class UsersController {
  constructor(private readonly directory: DirectoryService) {}

  @Get()
  async list(
    @Query() query: unknown,
    @CurrentPrincipal() principal?: Principal,
  ): Promise<{ users: EntryView[] }> {
    const { tenant } = parseRequestInput(tenantQuerySchema, query);
    return { users: await this.directory.list('user', requestTenant(tenant, principal)) };
  }

  @Get(':id')
  get(@Param('id') id: string): Promise<EntryView> {
    return this.directory.get('user', id);
  }

  @Post()
  create(@Body() body: unknown, @CurrentPrincipal() principal?: Principal): Promise<EntryView> {
    const input = parseRequestInput(userInputSchema, body);
    return this.directory.create(
      'user',
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
    return this.directory.update('user', id, parseRequestInput(userUpdateSchema, body), actorOf(principal));
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(@Param('id') id: string, @CurrentPrincipal() principal?: Principal): Promise<void> {
    await this.directory.delete('user', id, actorOf(principal));
  }
}
