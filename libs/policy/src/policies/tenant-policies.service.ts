import { Inject, Injectable } from '@nestjs/common';
import { EVENT_BUS, type EventBus } from '@gateway/platform';
import { assignPolicyIds, gatewayCedarSchema, validatePolicies } from '@gateway/security';
import { changedEntity, recordAdminChange } from '../admin-change.recorder';
import { PolicyBundlesService } from '../bundles/policy-bundles.service';
import { PolicyChangesService } from '../bundles/policy-changes.service';
import type { StoredPolicy } from '../store/policy-store.model';
import { TenantPolicyRepository } from '../store/tenant-policy.repository';
import {
  parseRequestInput,
  policyBodySchema,
  policyIdSchema,
  tenantNameSchema,
  validateBodySchema,
} from './policy-input.schema';
import { InvalidPolicyError, PoliciesNotLoadedError, PolicyNotFoundError } from './policy.errors';

/** A stored policy as the admin API shows it. */
export interface PolicyView {
  readonly tenant: string;
  readonly id: string;
  readonly description: string | null;
  readonly source: string;
  readonly enabled: boolean;
  readonly revision: number;
  readonly updatedBy: string;
  readonly updatedAt: string;
}

export interface PolicyListView {
  readonly tenant: string;
  /** The revision of the tenant's published bundle; 0 before it has one. */
  readonly bundleRevision: number;
  readonly policies: PolicyView[];
}

export interface PolicyPutResult {
  readonly policy: PolicyView;
  readonly bundleRevision: number;
  readonly created: boolean;
}

export function viewOf(policy: StoredPolicy): PolicyView {
  return { ...policy, updatedAt: policy.updatedAt.toISOString() };
}

/** Throws InvalidPolicyError unless the text holds at least one valid policy. */
export function checkPolicyText(source: string, id: string): void {
  const validation = validatePolicies(source, gatewayCedarSchema, { storedAs: id });
  if (!validation.ok) throw new InvalidPolicyError(validation.errors);
  const identified = assignPolicyIds(source, id);
  if (identified.ok && identified.policies.length === 0) {
    throw new InvalidPolicyError([
      { policyId: id, message: 'expected at least one permit or forbid policy', line: 1, column: 1 },
    ]);
  }
}

/** The policies of the admin API: read, create or replace, delete, and a dry run. */
@Injectable()
export class TenantPoliciesService {
  constructor(
    private readonly repository: TenantPolicyRepository,
    private readonly changes: PolicyChangesService,
    private readonly bundles: PolicyBundlesService,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
  ) {}

  async list(tenantParam: string): Promise<PolicyListView> {
    const tenant = this.checkTenant(tenantParam);
    const policies = await this.repository.inTenant(tenant, (transaction) => transaction.policies());
    return {
      tenant,
      bundleRevision: this.bundles.bundleOf(tenant)?.revision ?? 0,
      policies: policies.map(viewOf),
    };
  }

  async get(tenantParam: string, idParam: string): Promise<PolicyView> {
    const tenant = this.checkTenant(tenantParam);
    const id = parseRequestInput(policyIdSchema, idParam, 'id');
    const policy = await this.repository.inTenant(tenant, (transaction) => transaction.policy(id));
    if (!policy) throw new PolicyNotFoundError(tenant, id);
    return viewOf(policy);
  }

  /** Creates or replaces a policy; absent fields keep their values. The same content again changes nothing. */
  async put(tenantParam: string, idParam: string, body: unknown, actor: string): Promise<PolicyPutResult> {
    const tenant = this.checkTenant(tenantParam);
    const id = parseRequestInput(policyIdSchema, idParam, 'id');
    const input = parseRequestInput(policyBodySchema, body);
    checkPolicyText(input.source, id);
    const outcome = await this.changes.change(tenant, async (transaction) => {
      const previous = await transaction.policy(id);
      const description =
        input.description !== undefined ? input.description : (previous?.description ?? null);
      const enabled = input.enabled ?? previous?.enabled ?? true;
      if (
        previous &&
        previous.source === input.source &&
        previous.description === description &&
        previous.enabled === enabled
      ) {
        return { policy: previous, previous, changed: false };
      }
      const policy: StoredPolicy = {
        tenant,
        id,
        description,
        source: input.source,
        enabled,
        updatedBy: actor,
        updatedAt: new Date(),
        revision: (previous?.revision ?? 0) + 1,
      };
      await transaction.savePolicy(policy);
      return { policy, previous, changed: true };
    });
    const { policy, previous, changed } = outcome.result;
    if (changed) {
      recordAdminChange(this.bus, {
        actor,
        entityId: changedEntity.policy(tenant, id),
        action: previous ? 'updated' : 'created',
        revision: policy.revision,
      });
    }
    return { policy: viewOf(policy), bundleRevision: outcome.bundle?.revision ?? 0, created: !previous };
  }

  async delete(tenantParam: string, idParam: string, actor: string): Promise<void> {
    const tenant = this.checkTenant(tenantParam);
    const id = parseRequestInput(policyIdSchema, idParam, 'id');
    await this.changes.change(tenant, async (transaction) => {
      if (!(await transaction.policy(id))) throw new PolicyNotFoundError(tenant, id);
      await transaction.deletePolicy(id);
    });
    recordAdminChange(this.bus, { actor, entityId: changedEntity.policy(tenant, id), action: 'deleted' });
  }

  /** The checks of a PUT without storing anything; throws InvalidPolicyError with positions. */
  validate(tenantParam: string, body: unknown): { ok: true } {
    this.checkTenant(tenantParam);
    const input = parseRequestInput(validateBodySchema, body);
    checkPolicyText(input.source, input.id ?? 'policy');
    return { ok: true };
  }

  private checkTenant(tenant: string): string {
    if (!this.bundles.isLoaded()) throw new PoliciesNotLoadedError();
    return parseRequestInput(tenantNameSchema, tenant, 'tenant');
  }
}
