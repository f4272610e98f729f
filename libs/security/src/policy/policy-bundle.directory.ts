import {
  type FactoryProvider,
  type InjectionToken,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { PolicyBundleRecord, type PolicyBundleValue } from '@gateway/contracts';
import {
  createLogger,
  EVENT_BUS,
  type EventBus,
  type PartitionLag,
  ReadinessRegistry,
  retryUntilDone,
  type Subscription,
} from '@gateway/platform';
import { followStateTopic } from '../credentials/state-topic.follower';
import { PolicyEngine } from './policy.engine';

/** Called after a tenant's bundle changed; undefined when the tenant's bundle was removed. */
export type PolicyBundleListener = (tenant: string, engine: PolicyEngine | undefined) => void;

/** Every partition read to its end (or empty); none listed means the group has read nothing yet. */
function caughtUp(lags: readonly PartitionLag[]): boolean {
  return (
    lags.length > 0 &&
    lags.every((lag) => lag.logEndOffset === 0 || (lag.committedOffset !== undefined && lag.lag === 0))
  );
}

/**
 * The tenants' policy bundles for the data plane (ingress, router): follows the compacted bundles
 * topic from its beginning with a consumer group of this replica's own, and keeps each tenant's
 * latest bundle with its compiled engine in memory, so a decision never leaves the process. A
 * bundle that does not compile leaves the tenant's previous engine in place.
 *
 * Ready (/readyz "policy-bundle-directory") once it has read the topic to its end. The instance id must be
 * unique per process run (as the generated defaults are): a restarted replica reusing a group
 * would resume after its committed offset and miss the bundles before it.
 *
 * Provide it with `PolicyBundleDirectory.provider(token)`, where the token resolves to the
 * instance id (or to a value the second argument maps to it).
 */
export class PolicyBundleDirectory implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = createLogger('policy-bundle-directory');
  private readonly entries = new Map<string, PolicyEngine>();
  private readonly listeners = new Set<PolicyBundleListener>();
  private subscription: Subscription | undefined;
  private ready = false;
  private stopped = false;
  readonly groupId: string;

  constructor(
    private readonly bus: EventBus,
    instanceId: string,
    private readonly readiness: ReadinessRegistry,
  ) {
    this.groupId = `${instanceId}-policy-bundles`;
  }

  static provider<Value = string>(
    instanceIdToken: InjectionToken,
    instanceIdOf: (value: Value) => string = String,
  ): FactoryProvider<PolicyBundleDirectory> {
    return {
      provide: PolicyBundleDirectory,
      inject: [EVENT_BUS, instanceIdToken, ReadinessRegistry],
      useFactory: (bus: EventBus, value: Value, readiness: ReadinessRegistry) =>
        new PolicyBundleDirectory(bus, instanceIdOf(value), readiness),
    };
  }

  onModuleInit(): void {
    this.readiness.register('policy-bundle-directory', () => ({
      ready: this.ready,
      detail: this.ready ? `${this.entries.size} tenants` : `reading ${PolicyBundleRecord.topic.name}`,
    }));
  }

  async onApplicationBootstrap(): Promise<void> {
    this.subscription = await followStateTopic(this.bus, PolicyBundleRecord, this.groupId, (tenant, bundle) =>
      this.apply(tenant, bundle),
    );
    void this.awaitCatchUp();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    await this.subscription?.close();
  }

  /** The tenant's engine; undefined while its bundle has not arrived (or never compiled). */
  engineFor(tenant: string): PolicyEngine | undefined {
    return this.entries.get(tenant);
  }

  /** The tenant's bundle (rate limits and guardrails included) as its engine was built from. */
  bundleOf(tenant: string): PolicyBundleValue | undefined {
    return this.entries.get(tenant)?.bundle;
  }

  tenants(): string[] {
    return [...this.entries.keys()];
  }

  isReady(): boolean {
    return this.ready;
  }

  /** Returns the function that removes the listener. */
  onChange(listener: PolicyBundleListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private apply(tenant: string, bundle: PolicyBundleValue | null): void {
    if (!bundle) {
      if (this.entries.delete(tenant)) this.notify(tenant, undefined);
      return;
    }
    let engine: PolicyEngine;
    try {
      engine = new PolicyEngine(bundle);
    } catch (error) {
      const previous = this.entries.get(tenant);
      this.logger.error(
        { err: error, tenant, revision: bundle.revision, keptRevision: previous?.revision },
        previous
          ? 'policy bundle does not compile; the previous revision stays in force'
          : 'policy bundle does not compile; the tenant has no policy engine',
      );
      return;
    }
    this.entries.set(tenant, engine);
    this.logger.info(
      { tenant, revision: bundle.revision, policies: engine.policyIds.length },
      'policy bundle applied',
    );
    this.notify(tenant, engine);
  }

  private notify(tenant: string, engine: PolicyEngine | undefined): void {
    for (const listener of this.listeners) {
      try {
        listener(tenant, engine);
      } catch (error) {
        this.logger.error({ err: error, tenant }, 'a policy bundle listener failed');
      }
    }
  }

  private async awaitCatchUp(): Promise<void> {
    this.ready = await retryUntilDone(
      async () => {
        const lags = await this.bus.consumerLag([this.groupId]);
        if (!caughtUp(lags.filter((lag) => lag.topic === PolicyBundleRecord.topic.name))) {
          throw new Error('not at the end of the bundles topic yet');
        }
      },
      {
        stopped: () => this.stopped,
        backoff: { initialMs: 100, maxMs: 2_000 },
        onFailure: (error, attempt) =>
          this.logger.debug({ err: error, attempt }, 'catching up with policy bundles'),
      },
    );
  }
}
