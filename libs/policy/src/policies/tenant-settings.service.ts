import { Inject, Injectable } from '@nestjs/common';
import type { GuardrailSettings, RateLimitRule } from '@gateway/contracts';
import { EVENT_BUS, type EventBus } from '@gateway/platform';
import { changedEntity, recordAdminChange } from '../admin-change.recorder';
import { PolicyBundlesService } from '../bundles/policy-bundles.service';
import { PolicyChangesService } from '../bundles/policy-changes.service';
import type { StoredSettings } from '../store/policy-store.model';
import { TenantPolicyRepository } from '../store/tenant-policy.repository';
import {
  guardrailsSchema,
  parseRequestInput,
  rateLimitsSchema,
  tenantNameSchema,
} from './policy-input.schema';
import { PoliciesNotLoadedError } from './policy.errors';

type Setting = 'rateLimits' | 'guardrails';

/** A tenant's rate limits and guardrails: stored with its policies, published in its bundle. */
@Injectable()
export class TenantSettingsService {
  constructor(
    private readonly repository: TenantPolicyRepository,
    private readonly changes: PolicyChangesService,
    private readonly bundles: PolicyBundlesService,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
  ) {}

  async rateLimits(tenantParam: string): Promise<RateLimitRule[]> {
    const settings = await this.read(tenantParam);
    return [...(settings?.rateLimits ?? [])];
  }

  async guardrails(tenantParam: string): Promise<GuardrailSettings> {
    return (await this.read(tenantParam))?.guardrails ?? {};
  }

  async putRateLimits(tenantParam: string, body: unknown, actor: string): Promise<RateLimitRule[]> {
    const rules = parseRequestInput(rateLimitsSchema, body);
    await this.put(this.checkTenant(tenantParam), 'rateLimits', rules, actor);
    return rules;
  }

  async putGuardrails(tenantParam: string, body: unknown, actor: string): Promise<GuardrailSettings> {
    const guardrails = parseRequestInput(guardrailsSchema, body);
    await this.put(this.checkTenant(tenantParam), 'guardrails', guardrails, actor);
    return guardrails;
  }

  private async put<Key extends Setting>(
    tenant: string,
    setting: Key,
    value: NonNullable<StoredSettings[Key]>,
    actor: string,
  ): Promise<void> {
    const outcome = await this.changes.change(tenant, async (transaction) => {
      const previous = await transaction.settings();
      await transaction.saveSettings({
        tenant,
        rateLimits: previous?.rateLimits ?? null,
        guardrails: previous?.guardrails ?? null,
        [setting]: value,
        updatedBy: actor,
        updatedAt: new Date(),
      });
      return previous?.[setting] ?? undefined;
    });
    recordAdminChange(this.bus, {
      actor,
      entityId:
        setting === 'rateLimits' ? changedEntity.rateLimits(tenant) : changedEntity.guardrails(tenant),
      action: outcome.result === undefined ? 'created' : 'updated',
      ...(outcome.bundle ? { revision: outcome.bundle.revision } : {}),
    });
  }

  private async read(tenantParam: string): Promise<StoredSettings | undefined> {
    const tenant = this.checkTenant(tenantParam);
    return this.repository.inTenant(tenant, (transaction) => transaction.settings());
  }

  private checkTenant(tenant: string): string {
    if (!this.bundles.isLoaded()) throw new PoliciesNotLoadedError();
    return parseRequestInput(tenantNameSchema, tenant, 'tenant');
  }
}
