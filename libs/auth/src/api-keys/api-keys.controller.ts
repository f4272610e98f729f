import { Body, Controller, Get, HttpCode, Param, Post, Query, UseFilters } from '@nestjs/common';
import { CurrentPrincipal, type Principal } from '@gateway/security';
import { actorOf } from '../admin-change.recorder';
import { AuthHttpErrorFilter } from '../http/auth-http-error.filter';
import { parseRequestInput, requestTenant } from '../http/request-input.parser';
import { apiKeyInputSchema, apiKeyQuerySchema } from '../identities/identity-input.schema';
import { type ApiKeyView, ApiKeysService, type CreatedApiKey } from './api-keys.service';

/** API keys of users and agents: the key is in the create answer only; listings never show it. */
@Controller('api/v1/auth/api-keys')
@UseFilters(AuthHttpErrorFilter)
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Get()
  async list(
    @Query() query: unknown,
    @CurrentPrincipal() principal?: Principal,
  ): Promise<{ apiKeys: ApiKeyView[] }> {
    const filter = parseRequestInput(apiKeyQuerySchema, query);
    const tenant = requestTenant(filter.tenant, principal);
    return { apiKeys: await this.apiKeys.list({ tenant, principalId: filter.principal }) };
  }

  @Get(':id')
  get(@Param('id') id: string): Promise<ApiKeyView> {
    return this.apiKeys.get(id);
  }

  @Post()
  create(@Body() body: unknown, @CurrentPrincipal() principal?: Principal): Promise<CreatedApiKey> {
    const input = parseRequestInput(apiKeyInputSchema, body);
    return this.apiKeys.create(
      { ...input, tenant: requestTenant(input.tenant, principal) },
      actorOf(principal),
    );
  }

  /** 200 with the revoked key; revoking a revoked key changes nothing. */
  @Post(':id/revoke')
  @HttpCode(200)
  revoke(@Param('id') id: string, @CurrentPrincipal() principal?: Principal): Promise<ApiKeyView> {
    return this.apiKeys.revoke(id, actorOf(principal));
  }
}
