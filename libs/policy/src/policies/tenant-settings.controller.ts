import { Body, Controller, Get, Param, Put, UseFilters } from '@nestjs/common';
import type { GuardrailSettings, RateLimitRule } from '@gateway/contracts';
import { CurrentPrincipal, type Principal } from '@gateway/security';
import { actorOf } from '../admin-change.recorder';
import { PolicyHttpErrorFilter } from '../policy-http-error.filter';
import { TenantSettingsService } from './tenant-settings.service';

/** A tenant's rate limits and guardrails; each change publishes the tenant's bundle. */
@Controller('api/v1/tenants/:tenant')
@UseFilters(PolicyHttpErrorFilter)
export class TenantSettingsController {
  constructor(private readonly settings: TenantSettingsService) {}

  @Get('rate-limits')
  rateLimits(@Param('tenant') tenant: string): Promise<RateLimitRule[]> {
    return this.settings.rateLimits(tenant);
  }

  /** The body is the whole list of token buckets; it replaces the current one. */
  @Put('rate-limits')
  putRateLimits(
    @Param('tenant') tenant: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal?: Principal,
  ): Promise<RateLimitRule[]> {
    return this.settings.putRateLimits(tenant, body, actorOf(principal));
  }

  @Get('guardrails')
  guardrails(@Param('tenant') tenant: string): Promise<GuardrailSettings> {
    return this.settings.guardrails(tenant);
  }

  @Put('guardrails')
  putGuardrails(
    @Param('tenant') tenant: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal?: Principal,
  ): Promise<GuardrailSettings> {
    return this.settings.putGuardrails(tenant, body, actorOf(principal));
  }
}
