import { Inject, Injectable } from '@nestjs/common';
import type { PolicyBundleValue } from '@gateway/contracts';
import { createLogger } from '@gateway/platform';
import { POLICY_CONFIG, type PolicyConfig } from '../policy-config';
import type { TenantTransaction } from '../store/policy-store.model';
import { TenantPolicyRepository } from '../store/tenant-policy.repository';
import { BundleCompositionError, composeBundle, sameBundle } from './bundle.composer';
import { PolicyBundlesService } from './policy-bundles.service';

export interface ChangeOutcome<T> {
  readonly result: T;
  /**
   * The tenant's bundle after the change: a new revision, or the previous one when nothing
   * changed (or, with keepBundleWhenInvalid, when the policies are invalid; none if never built).
   */
  readonly bundle: PolicyBundleValue | undefined;
}

export interface ChangeOptions {
  /**
   * At start: when the stored policies no longer make a valid bundle, keep the published one
   * and still commit the change, instead of refusing it (the API must come up to fix them).
   */
  readonly keepBundleWhenInvalid?: boolean;
}

/**
 * Every change of a tenant's policies or settings: written in one transaction with the bundle it
 * makes (revision + 1), then published. Changes run one at a time, so the bundles topic receives
 * a tenant's revisions in the order they were committed.
 */
@Injectable()
export class PolicyChangesService {
  private readonly logger = createLogger('policy-changes');
  private writes: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly repository: TenantPolicyRepository,
    private readonly bundles: PolicyBundlesService,
    @Inject(POLICY_CONFIG) private readonly config: PolicyConfig,
  ) {}

  change<T>(
    tenant: string,
    mutate: (transaction: TenantTransaction) => Promise<T>,
    options: ChangeOptions = {},
  ): Promise<ChangeOutcome<T>> {
    return this.oneAtATime(async () => {
      const outcome = await this.repository.inTenant(tenant, async (transaction) => {
        const result = await mutate(transaction);
        return { result, bundle: await this.rebuild(transaction, options) };
      });
      if (outcome.bundle) this.bundles.install(outcome.bundle);
      return outcome;
    });
  }

  private async rebuild(
    transaction: TenantTransaction,
    options: ChangeOptions,
  ): Promise<PolicyBundleValue | undefined> {
    const previous = await transaction.bundle();
    let candidate: ReturnType<typeof composeBundle>;
    try {
      candidate = composeBundle({
        tenant: transaction.tenant,
        policies: await transaction.policies(),
        settings: await transaction.settings(),
        defaultDecision: this.config.defaultDecision,
      });
    } catch (error) {
      if (!(error instanceof BundleCompositionError) || !options.keepBundleWhenInvalid) throw error;
      this.logger.error(
        { err: error, tenant: transaction.tenant, keptRevision: previous?.revision },
        'the stored policies do not make a valid bundle; the published bundle stays in force until they are fixed',
      );
      return previous;
    }
    if (previous && sameBundle(previous, candidate)) return previous;
    const bundle = {
      ...candidate,
      revision: (previous?.revision ?? 0) + 1,
      publishedAt: new Date().toISOString(),
    };
    await transaction.saveBundle(bundle);
    return bundle;
  }

  private oneAtATime<T>(work: () => Promise<T>): Promise<T> {
    const result = this.writes.then(work);
    this.writes = result.catch(() => undefined);
    return result;
  }
}
