import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { PolicyBundleRecord, type PolicyBundleValue } from '@gateway/contracts';
import { createLogger, EVENT_BUS, type EventBus, publishEvent, ReadinessRegistry } from '@gateway/platform';
import { type Decision, type DecisionInput, PolicyEngine } from '@gateway/security';
import { POLICY_CONFIG, type PolicyConfig } from '../policy-config';

/**
 * The tenants' current bundles with their engines, for Decide and GetBundle, and their
 * publication on the compacted bundles topic for the data plane.
 */
@Injectable()
export class PolicyBundlesService implements OnModuleInit {
  private readonly logger = createLogger('policy-bundles');
  private readonly bundles = new Map<string, PolicyBundleValue>();
  private readonly engines = new Map<string, PolicyEngine>();
  private loaded = false;
  private lastError = '';

  constructor(
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    @Inject(POLICY_CONFIG) private readonly config: PolicyConfig,
    private readonly readiness: ReadinessRegistry,
  ) {}

  onModuleInit(): void {
    this.readiness.register('policy-bundles', () => ({
      ready: this.loaded,
      detail: this.loaded ? `${this.bundles.size} bundles` : `loading ${this.lastError}`.trim(),
    }));
  }

  /** Makes the bundle the tenant's current one and publishes it. */
  install(bundle: PolicyBundleValue): void {
    this.bundles.set(bundle.tenant, bundle);
    try {
      this.engines.set(bundle.tenant, new PolicyEngine(bundle));
    } catch (error) {
      // Bundles are validated before they are stored; this is a bundle stored by an older version.
      this.engines.delete(bundle.tenant);
      this.logger.error(
        { err: error, tenant: bundle.tenant, revision: bundle.revision },
        'policy bundle does not compile',
      );
    }
    publishEvent(this.bus, PolicyBundleRecord, bundle);
  }

  markLoaded(): void {
    this.loaded = true;
  }

  noteLoadFailure(message: string): void {
    this.lastError = message;
  }

  isLoaded(): boolean {
    return this.loaded;
  }

  /** The tenant's bundle; undefined while loading or for a tenant without one. */
  bundleOf(tenant: string): PolicyBundleValue | undefined {
    return this.bundles.get(tenant);
  }

  /** Decides with the tenant's bundle; a tenant without one decides by POLICY_DEFAULT_DECISION. */
  decide(tenant: string, input: DecisionInput): Decision & { readonly revision?: number } {
    const bundle = this.bundles.get(tenant);
    if (!bundle) {
      return {
        decision: this.config.defaultDecision,
        policyIds: [],
        reason: `tenant "${tenant}" has no policies; the default decision applies`,
        errors: [],
      };
    }
    const engine = this.engines.get(tenant);
    if (!engine) {
      return {
        decision: 'deny',
        policyIds: [],
        reason: `the policies of tenant "${tenant}" (revision ${bundle.revision}) do not compile`,
        errors: [],
        revision: bundle.revision,
      };
    }
    return { ...engine.decide(input), revision: bundle.revision };
  }
}
