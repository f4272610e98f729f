import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { PolicyBundleRecord, type PolicyBundleValue } from '@gateway/contracts';
import {
  createLogger,
  EVENT_BUS,
  type EventBus,
  publishEvent,
  ReadinessRegistry,
  retryUntilDone,
} from '@gateway/platform';
import { POLICY_CONFIG, type PolicyConfig } from '../policy-config';
import { PolicyBundleRepository } from './policy-bundle.repository';

export const defaultTenant = 'default';

/**
 * Owns the tenants' policy bundles: makes sure the default tenant has one, keeps them in memory
 * for decisions, and publishes them on the compacted bundles topic for the data plane.
 */
@Injectable()
export class PolicyBundlesService implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = createLogger('policy-bundles');
  private bundles = new Map<string, PolicyBundleValue>();
  private loaded = false;
  private stopped = false;

  constructor(
    private readonly repository: PolicyBundleRepository,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    @Inject(POLICY_CONFIG) private readonly config: PolicyConfig,
    private readonly readiness: ReadinessRegistry,
  ) {}

  onModuleInit(): void {
    this.readiness.register('policy-bundles', () => ({
      ready: this.loaded,
      detail: this.loaded ? `${this.bundles.size} bundles` : 'loading',
    }));
  }

  onApplicationBootstrap(): void {
    void this.loadWithRetry();
  }

  onModuleDestroy(): void {
    this.stopped = true;
  }

  /** The tenant's bundle; undefined while loading or for an unknown tenant. */
  bundleOf(tenant: string): PolicyBundleValue | undefined {
    return this.bundles.get(tenant);
  }

  isLoaded(): boolean {
    return this.loaded;
  }

  private async loadWithRetry(): Promise<void> {
    this.loaded = await retryUntilDone(() => this.load(), {
      stopped: () => this.stopped,
      onFailure: (error, attempt) =>
        this.logger.warn({ err: error, attempt }, 'loading policy bundles failed; retrying'),
    });
  }

  private async load(): Promise<void> {
    await this.repository.createIfMissing({
      tenant: defaultTenant,
      revision: 1,
      source: '',
      defaultDecision: this.config.defaultDecision,
      publishedAt: new Date().toISOString(),
    });
    const bundles = await this.repository.all();
    this.bundles = new Map(bundles.map((bundle) => [bundle.tenant, bundle]));
    for (const bundle of bundles) publishEvent(this.bus, PolicyBundleRecord, bundle);
  }
}
