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
  type Type,
  UseFilters,
} from '@nestjs/common';
import type { z } from 'zod';
import { CurrentPrincipal, type Principal } from '@gateway/security';
import { actorOf } from '../admin-change.recorder';
import { AuthHttpErrorFilter } from '../http/auth-http-error.filter';
import { parseRequestInput, requestTenant } from '../http/request-input.parser';
import type { EntryKind } from './directory.model';
import { DirectoryService, type EntryChanges, type EntryInput, type EntryView } from './directory.service';
import {
  agentInputSchema,
  agentUpdateSchema,
  roleInputSchema,
  roleUpdateSchema,
  teamInputSchema,
  teamUpdateSchema,
  tenantQuerySchema,
  userInputSchema,
  userUpdateSchema,
} from './identity-input.schema';

type InputSchema = z.ZodType<Omit<EntryInput, 'tenant'> & { tenant?: string }>;

/**
 * The admin API of one kind of directory entry under `/api/v1/auth/<plural>`: list (per tenant),
 * get, create, update and delete. The four kinds differ only in what their bodies may carry.
 */
function directoryController(
  kind: EntryKind,
  plural: string,
  input: InputSchema,
  update: z.ZodType<EntryChanges>,
): Type {
  @Controller(`api/v1/auth/${plural}`)
  @UseFilters(AuthHttpErrorFilter)
  class DirectoryEntriesController {
    constructor(readonly directory: DirectoryService) {}

    @Get()
    async list(
      @Query() query: unknown,
      @CurrentPrincipal() principal?: Principal,
    ): Promise<Record<string, EntryView[]>> {
      const { tenant } = parseRequestInput(tenantQuerySchema, query);
      return { [plural]: await this.directory.list(kind, requestTenant(tenant, principal)) };
    }

    @Get(':id')
    get(@Param('id') id: string): Promise<EntryView> {
      return this.directory.get(kind, id);
    }

    @Post()
    create(@Body() body: unknown, @CurrentPrincipal() principal?: Principal): Promise<EntryView> {
      const entry = parseRequestInput(input, body);
      return this.directory.create(
        kind,
        { ...entry, tenant: requestTenant(entry.tenant, principal) },
        actorOf(principal),
      );
    }

    @Patch(':id')
    change(
      @Param('id') id: string,
      @Body() body: unknown,
      @CurrentPrincipal() principal?: Principal,
    ): Promise<EntryView> {
      return this.directory.update(kind, id, parseRequestInput(update, body), actorOf(principal));
    }

    @Delete(':id')
    @HttpCode(204)
    async delete(@Param('id') id: string, @CurrentPrincipal() principal?: Principal): Promise<void> {
      await this.directory.delete(kind, id, actorOf(principal));
    }
  }
  Object.defineProperty(DirectoryEntriesController, 'name', {
    value: `${plural[0]!.toUpperCase()}${plural.slice(1)}Controller`,
  });
  return DirectoryEntriesController;
}

/** Users: people who hold API keys; deleting one revokes its keys. */
export const UsersController = directoryController('user', 'users', userInputSchema, userUpdateSchema);

/** Agents (service accounts): clients of the token endpoint; deleting one revokes its API keys and secrets. */
export const AgentsController = directoryController('agent', 'agents', agentInputSchema, agentUpdateSchema);

/** Teams: principals join them (a user's or agent's `teams`), and hold their roles. */
export const TeamsController = directoryController('team', 'teams', teamInputSchema, teamUpdateSchema);

/** Roles: tenant-scoped labels; what each allows is written as Cedar policies in the policy service. */
export const RolesController = directoryController('role', 'roles', roleInputSchema, roleUpdateSchema);
