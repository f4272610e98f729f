import { isDeepStrictEqual } from 'node:util';
import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { createLogger, errorMessage, EVENT_BUS, type EventBus, retryUntilDone } from '@gateway/platform';
import { rolePolicies } from '@gateway/security';
import { Actors, changedEntity, type RecordedChange, recordAdminChange } from '../admin-change.recorder';
import { PolicyBundlesService } from '../bundles/policy-bundles.service';
import { PolicyChangesService } from '../bundles/policy-changes.service';
import { type DeclaredTenant, POLICY_CONFIG, type PolicyConfig } from '../policy-config';
import type { TenantTransaction } from '../store/policy-store.model';
import { TenantPolicyRepository } from '../store/tenant-policy.repository';

export const defaultTenant = 'default';

/** Rows the config file may replace: its own and the seeded ones; an admin's change is kept. */
function fileManaged(updatedBy: string): boolean {
  return updatedBy === Actors.config || updatedBy === Actors.system;
}

function sameJson(left: unknown, right: unknown): boolean {
  return isDeepStrictEqual(
    JSON.parse(JSON.stringify(left ?? null)),
    JSON.parse(JSON.stringify(right ?? null)),
  );
}

/**
 * Brings the stored state up to date at start, then publishes every tenant's bundle: seeds the
 * role policies on the default tenant's first start, applies POLICY_CONFIG_FILE (actor "config"),
 * and rebuilds each bundle (a new revision only where something changed, e.g. the default).
 * The topic may have lost records the database still has, so every bundle is republished.
 */
@Injectable()
export class PolicyBootstrapService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = createLogger('policy-bootstrap');
  private stopped = false;

  constructor(
    private readonly repository: TenantPolicyRepository,
    private readonly changes: PolicyChangesService,
    private readonly bundles: PolicyBundlesService,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    @Inject(POLICY_CONFIG) private readonly config: PolicyConfig,
  ) {}

  onApplicationBootstrap(): void {
    void this.loadWithRetry();
  }

  onModuleDestroy(): void {
    this.stopped = true;
  }

  private async loadWithRetry(): Promise<void> {
    const loaded = await retryUntilDone(() => this.load(), {
      stopped: () => this.stopped,
      onFailure: (error, attempt) => {
        this.bundles.noteLoadFailure(errorMessage(error));
        this.logger.warn({ err: error, attempt }, 'loading policies failed; retrying');
      },
    });
    if (!loaded) return;
    this.bundles.markLoaded();
    this.logger.info('policies loaded and bundles published');
  }

  private async load(): Promise<void> {
    await this.record(this.repository.inTenant(defaultTenant, (transaction) => this.seedRoles(transaction)));
    for (const declared of this.config.declared) {
      await this.record(
        this.repository.inTenant(declared.tenant, (transaction) => this.applyDeclared(transaction, declared)),
      );
    }
    await this.removeUndeclaredTenants();
    for (const tenant of await this.repository.tenants()) {
      await this.changes.change(tenant, () => Promise.resolve(), { keepBundleWhenInvalid: true });
    }
  }

  private async record(changes: Promise<RecordedChange[]>): Promise<void> {
    for (const change of await changes) recordAdminChange(this.bus, change);
  }

  /** The default tenant's first start: no settings row yet. Deleted role policies stay deleted. */
  private async seedRoles(transaction: TenantTransaction): Promise<RecordedChange[]> {
    if (await transaction.settings()) return [];
    const now = new Date();
    await transaction.saveSettings({
      tenant: defaultTenant,
      rateLimits: null,
      guardrails: null,
      updatedBy: Actors.system,
      updatedAt: now,
    });
    const seeded: RecordedChange[] = [];
    for (const role of rolePolicies) {
      if (await transaction.policy(role.id)) continue;
      await transaction.savePolicy({
        tenant: defaultTenant,
        id: role.id,
        description: role.description,
        source: role.source,
        enabled: true,
        updatedBy: Actors.system,
        updatedAt: now,
        revision: 1,
      });
      seeded.push({
        actor: Actors.system,
        entityId: changedEntity.policy(defaultTenant, role.id),
        action: 'created',
        revision: 1,
      });
    }
    return seeded;
  }

  private async applyDeclared(
    transaction: TenantTransaction,
    declared: DeclaredTenant,
  ): Promise<RecordedChange[]> {
    const { tenant } = declared;
    const changes: RecordedChange[] = [];
    const now = new Date();
    for (const [id, source] of Object.entries(declared.policies)) {
      const previous = await transaction.policy(id);
      if (previous && !fileManaged(previous.updatedBy)) {
        this.logger.warn(
          { tenant, policy: id, updatedBy: previous.updatedBy },
          "policy was changed through the admin API; its text there is kept over the config file's " +
            '(delete it through the API and restart to manage it from the file again)',
        );
        continue;
      }
      if (previous?.updatedBy === Actors.config && previous.source === source && previous.enabled) continue;
      const revision = (previous?.revision ?? 0) + 1;
      await transaction.savePolicy({
        tenant,
        id,
        description: previous?.description ?? null,
        source,
        enabled: true,
        updatedBy: Actors.config,
        updatedAt: now,
        revision,
      });
      changes.push({
        actor: Actors.config,
        entityId: changedEntity.policy(tenant, id),
        action: previous ? 'updated' : 'created',
        revision,
      });
    }
    for (const policy of await transaction.policies()) {
      if (policy.updatedBy !== Actors.config || policy.id in declared.policies) continue;
      await transaction.deletePolicy(policy.id);
      changes.push({
        actor: Actors.config,
        entityId: changedEntity.policy(tenant, policy.id),
        action: 'deleted',
      });
    }
    return [...changes, ...(await this.applyDeclaredSettings(transaction, declared, now))];
  }

  private async applyDeclaredSettings(
    transaction: TenantTransaction,
    declared: DeclaredTenant,
    now: Date,
  ): Promise<RecordedChange[]> {
    const { tenant, rateLimits, guardrails } = declared;
    if (rateLimits === undefined && guardrails === undefined) return [];
    const previous = await transaction.settings();
    if (previous && !fileManaged(previous.updatedBy)) {
      this.logger.warn(
        { tenant, updatedBy: previous.updatedBy },
        'rate limits and guardrails were changed through the admin API; kept over the config file',
      );
      return [];
    }
    const changes: RecordedChange[] = [];
    if (rateLimits !== undefined && !sameJson(previous?.rateLimits, rateLimits)) {
      changes.push({
        actor: Actors.config,
        entityId: changedEntity.rateLimits(tenant),
        action: previous?.rateLimits ? 'updated' : 'created',
      });
    }
    if (guardrails !== undefined && !sameJson(previous?.guardrails, guardrails)) {
      changes.push({
        actor: Actors.config,
        entityId: changedEntity.guardrails(tenant),
        action: previous?.guardrails ? 'updated' : 'created',
      });
    }
    if (changes.length === 0) return [];
    await transaction.saveSettings({
      tenant,
      rateLimits: rateLimits ?? previous?.rateLimits ?? null,
      guardrails: guardrails ?? previous?.guardrails ?? null,
      updatedBy: Actors.config,
      updatedAt: now,
    });
    return changes;
  }

  /** Policies the file declared for a tenant it no longer mentions at all. */
  private async removeUndeclaredTenants(): Promise<void> {
    const declaredTenants = new Set(this.config.declared.map((declared) => declared.tenant));
    const stale = (await this.repository.policiesUpdatedBy(Actors.config)).filter(
      (row) => !declaredTenants.has(row.tenant),
    );
    for (const tenant of new Set(stale.map((row) => row.tenant))) {
      await this.record(
        this.repository.inTenant(tenant, (transaction) =>
          this.applyDeclared(transaction, { tenant, policies: {} }),
        ),
      );
    }
  }
}
