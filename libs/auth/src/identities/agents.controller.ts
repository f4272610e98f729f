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
import { agentInputSchema, agentUpdateSchema, tenantQuerySchema } from './identity-input.schema';

/** Agents (service accounts): clients of the token endpoint; deleting one revokes its API keys and secrets. */
@Controller('api/v1/auth/agents')
@UseFilters(AuthHttpErrorFilter)
export class AgentsController {
  constructor(private readonly directory: DirectoryService) {}

  @Get()
  async list(
    @Query() query: unknown,
    @CurrentPrincipal() principal?: Principal,
  ): Promise<{ agents: EntryView[] }> {
    const { tenant } = parseRequestInput(tenantQuerySchema, query);
    return { agents: await this.directory.list('agent', requestTenant(tenant, principal)) };
  }

  @Get(':id')
  get(@Param('id') id: string): Promise<EntryView> {
    return this.directory.get('agent', id);
  }

  @Post()
  create(@Body() body: unknown, @CurrentPrincipal() principal?: Principal): Promise<EntryView> {
    const input = parseRequestInput(agentInputSchema, body);
    return this.directory.create(
      'agent',
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
    return this.directory.update('agent', id, parseRequestInput(agentUpdateSchema, body), actorOf(principal));
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(@Param('id') id: string, @CurrentPrincipal() principal?: Principal): Promise<void> {
    await this.directory.delete('agent', id, actorOf(principal));
  }
}
