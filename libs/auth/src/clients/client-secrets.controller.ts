import { Body, Controller, Get, HttpCode, Param, Post, UseFilters } from '@nestjs/common';
import { CurrentPrincipal, type Principal } from '@gateway/security';
import { actorOf } from '../admin-change.recorder';
import { AuthHttpErrorFilter } from '../http/auth-http-error.filter';
import { parseRequestInput } from '../http/request-input.parser';
import { clientSecretInputSchema } from '../identities/identity-input.schema';
import {
  type ClientSecretView,
  ClientSecretsService,
  type IssuedClientSecret,
} from './client-secrets.service';

/** An agent's client secrets for the token endpoint; the secret is in the create answer only. */
@Controller('api/v1/auth/agents/:agentId/client-secrets')
@UseFilters(AuthHttpErrorFilter)
export class ClientSecretsController {
  constructor(private readonly secrets: ClientSecretsService) {}

  @Get()
  async list(@Param('agentId') agentId: string): Promise<{ clientSecrets: ClientSecretView[] }> {
    return { clientSecrets: await this.secrets.list(agentId) };
  }

  @Post()
  create(
    @Param('agentId') agentId: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal?: Principal,
  ): Promise<IssuedClientSecret> {
    const { expiresAt } = parseRequestInput(clientSecretInputSchema, body);
    return this.secrets.create(agentId, expiresAt, actorOf(principal));
  }

  @Post(':secretId/revoke')
  @HttpCode(200)
  revoke(
    @Param('agentId') agentId: string,
    @Param('secretId') secretId: string,
    @CurrentPrincipal() principal?: Principal,
  ): Promise<ClientSecretView> {
    return this.secrets.revoke(agentId, secretId, actorOf(principal));
  }
}
