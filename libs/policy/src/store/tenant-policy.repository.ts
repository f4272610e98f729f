import { Inject, Injectable } from '@nestjs/common';
import type { PolicyBundleValue } from '@gateway/contracts';
import type { Database } from '@gateway/platform';
import type { EntityManager } from 'typeorm';
import { PolicyBundleEntity } from './policy-bundle.entity';
import { PolicyEntity } from './policy.entity';
import type { StoredPolicy, StoredSettings, TenantTransaction } from './policy-store.model';
import { TenantSettingsEntity } from './tenant-settings.entity';

export const POLICY_DATABASE = Symbol('POLICY_DATABASE');

function toBundle(row: PolicyBundleEntity): PolicyBundleValue {
  return {
    tenant: row.tenant,
    revision: row.revision,
    source: row.source,
    ...(row.schema !== null ? { schema: row.schema } : {}),
    defaultDecision: row.defaultDecision,
    ...(row.rateLimits !== null ? { rateLimits: row.rateLimits } : {}),
    ...(row.guardrails !== null ? { guardrails: row.guardrails } : {}),
    publishedAt: row.publishedAt.toISOString(),
  };
}

function fromBundle(bundle: PolicyBundleValue): PolicyBundleEntity {
  return {
    tenant: bundle.tenant,
    revision: bundle.revision,
    source: bundle.source,
    schema: bundle.schema ?? null,
    defaultDecision: bundle.defaultDecision,
    rateLimits: bundle.rateLimits ?? null,
    guardrails: bundle.guardrails ?? null,
    publishedAt: new Date(bundle.publishedAt),
  };
}

function toPolicy(row: PolicyEntity): StoredPolicy {
  return { ...row };
}

function toSettings(row: TenantSettingsEntity): StoredSettings {
  return { ...row };
}

class TypeormTenantTransaction implements TenantTransaction {
  constructor(
    readonly tenant: string,
    private readonly manager: EntityManager,
  ) {}

  async policies(): Promise<StoredPolicy[]> {
    const rows = await this.manager.getRepository(PolicyEntity).find({
      where: { tenant: this.tenant },
      order: { id: 'ASC' },
    });
    return rows.map(toPolicy);
  }

  async policy(id: string): Promise<StoredPolicy | undefined> {
    const row = await this.manager.getRepository(PolicyEntity).findOneBy({ tenant: this.tenant, id });
    return row ? toPolicy(row) : undefined;
  }

  async savePolicy(policy: StoredPolicy): Promise<void> {
    await this.manager
      .getRepository(PolicyEntity)
      .upsert({ ...policy, tenant: this.tenant }, ['tenant', 'id']);
  }

  async deletePolicy(id: string): Promise<void> {
    await this.manager.getRepository(PolicyEntity).delete({ tenant: this.tenant, id });
  }

  async settings(): Promise<StoredSettings | undefined> {
    const row = await this.manager.getRepository(TenantSettingsEntity).findOneBy({ tenant: this.tenant });
    return row ? toSettings(row) : undefined;
  }

  async saveSettings(settings: StoredSettings): Promise<void> {
    await this.manager.getRepository(TenantSettingsEntity).upsert(
      {
        ...settings,
        tenant: this.tenant,
        rateLimits: settings.rateLimits ? [...settings.rateLimits] : null,
      },
      ['tenant'],
    );
  }

  async bundle(): Promise<PolicyBundleValue | undefined> {
    const row = await this.manager.getRepository(PolicyBundleEntity).findOneBy({ tenant: this.tenant });
    return row ? toBundle(row) : undefined;
  }

  async saveBundle(bundle: PolicyBundleValue): Promise<void> {
    await this.manager.getRepository(PolicyBundleEntity).upsert(fromBundle(bundle), ['tenant']);
  }
}

/** Policies, tenant settings and published bundles; every change holds its tenant's lock. */
@Injectable()
export class TenantPolicyRepository {
  constructor(@Inject(POLICY_DATABASE) private readonly database: Database) {}

  /**
   * Runs `work` in one transaction under a lock on the tenant (a transaction-scoped advisory
   * lock), so concurrent changes of a tenant, from this replica or another, apply one after the
   * other and each bundle revision is built from the state the previous one left.
   */
  async inTenant<T>(tenant: string, work: (transaction: TenantTransaction) => Promise<T>): Promise<T> {
    const dataSource = await this.database.whenReady();
    return dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
        `policy-tenant:${tenant}`,
      ]);
      return work(new TypeormTenantTransaction(tenant, manager));
    });
  }

  /** Every tenant with policies, settings or a bundle. */
  async tenants(): Promise<string[]> {
    const dataSource = await this.database.whenReady();
    const [policies, settings, bundles] = await Promise.all([
      dataSource
        .getRepository(PolicyEntity)
        .createQueryBuilder('policy')
        .select('DISTINCT policy.tenant', 'tenant')
        .getRawMany<{ tenant: string }>(),
      dataSource.getRepository(TenantSettingsEntity).find({ select: { tenant: true } }),
      dataSource.getRepository(PolicyBundleEntity).find({ select: { tenant: true } }),
    ]);
    return [...new Set([...policies, ...settings, ...bundles].map((row) => row.tenant))].sort();
  }

  /** The policies a given actor changed last, across tenants. */
  async policiesUpdatedBy(actor: string): Promise<Array<Pick<StoredPolicy, 'tenant' | 'id'>>> {
    const dataSource = await this.database.whenReady();
    return dataSource
      .getRepository(PolicyEntity)
      .find({ select: { tenant: true, id: true }, where: { updatedBy: actor } });
  }
}
