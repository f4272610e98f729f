import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Res, UseFilters } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentPrincipal, gatewayCedarSchema, type Principal } from '@gateway/security';
import { actorOf } from '../admin-change.recorder';
import { PolicyHttpErrorFilter } from '../policy-http-error.filter';
import {
  type PolicyListView,
  type PolicyPutResult,
  TenantPoliciesService,
  type PolicyView,
} from './tenant-policies.service';

/** Admin REST API of the Cedar policies; every change publishes the tenant's bundle. */
@Controller('api/v1')
@UseFilters(PolicyHttpErrorFilter)
export class PoliciesController {
  constructor(private readonly policies: TenantPoliciesService) {}

  /** The Cedar schema policies are validated against (namespace Gateway). */
  @Get('policy-schema')
  schema(): { format: 'cedar'; schema: string } {
    return { format: 'cedar', schema: gatewayCedarSchema };
  }

  @Get('policies/:tenant')
  list(@Param('tenant') tenant: string): Promise<PolicyListView> {
    return this.policies.list(tenant);
  }

  /** 200 with { ok: true }, or 400 with the errors a PUT of the same text would get. */
  @Post('policies/:tenant/validate')
  @HttpCode(200)
  validate(@Param('tenant') tenant: string, @Body() body: unknown): { ok: true } {
    return this.policies.validate(tenant, body);
  }

  @Get('policies/:tenant/:id')
  get(@Param('tenant') tenant: string, @Param('id') id: string): Promise<PolicyView> {
    return this.policies.get(tenant, id);
  }

  /** 201 when it created the policy, 200 when it replaced one (or found it unchanged). */
  @Put('policies/:tenant/:id')
  async put(
    @Param('tenant') tenant: string,
    @Param('id') id: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) response: Response,
    @CurrentPrincipal() principal?: Principal,
  ): Promise<Omit<PolicyPutResult, 'created'>> {
    const { created, ...result } = await this.policies.put(tenant, id, body, actorOf(principal));
    response.status(created ? 201 : 200);
    return result;
  }

  @Delete('policies/:tenant/:id')
  @HttpCode(204)
  async delete(
    @Param('tenant') tenant: string,
    @Param('id') id: string,
    @CurrentPrincipal() principal?: Principal,
  ): Promise<void> {
    await this.policies.delete(tenant, id, actorOf(principal));
  }
}
