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
import { teamInputSchema, teamUpdateSchema, tenantQuerySchema } from './identity-input.schema';

/** Teams: principals join them (a user's or agent's `teams`), and hold their roles. */
@Controller('api/v1/auth/teams')
@UseFilters(AuthHttpErrorFilter)
export class TeamsController {
  constructor(private readonly directory: DirectoryService) {}

  @Get()
  async list(
    @Query() query: unknown,
    @CurrentPrincipal() principal?: Principal,
  ): Promise<{ teams: EntryView[] }> {
    const { tenant } = parseRequestInput(tenantQuerySchema, query);
    return { teams: await this.directory.list('team', requestTenant(tenant, principal)) };
  }

  @Get(':id')
  get(@Param('id') id: string): Promise<EntryView> {
    return this.directory.get('team', id);
  }

  @Post()
  create(@Body() body: unknown, @CurrentPrincipal() principal?: Principal): Promise<EntryView> {
    const input = parseRequestInput(teamInputSchema, body);
    return this.directory.create(
      'team',
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
    return this.directory.update('team', id, parseRequestInput(teamUpdateSchema, body), actorOf(principal));
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(@Param('id') id: string, @CurrentPrincipal() principal?: Principal): Promise<void> {
    await this.directory.delete('team', id, actorOf(principal));
  }
}
