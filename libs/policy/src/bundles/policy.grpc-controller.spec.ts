import type { PolicyBundleValue } from '@gateway/contracts';
import { PolicyBundleRecord } from '@gateway/contracts';
import { InProcessEventBus, parseEvent, ReadinessRegistry } from '@gateway/platform';
import { waitFor } from '@gateway/testing';
import type { PolicyBundleRepository } from './policy-bundle.repository';
import { PolicyBundlesService } from './policy-bundles.service';
import { PolicyGrpcController } from './policy.grpc-controller';

/** Keeps bundles in memory with the repository's semantics (create only when missing). */
function inMemoryRepository(): PolicyBundleRepository {
  const bundles = new Map<string, PolicyBundleValue>();
  return {
    all: async () => [...bundles.values()],
    createIfMissing: async (bundle: PolicyBundleValue) => {
      if (!bundles.has(bundle.tenant)) bundles.set(bundle.tenant, bundle);
    },
  } as unknown as PolicyBundleRepository;
}

describe('policy decisions', () => {
  it('creates and publishes the default tenant bundle, and decides by its default', async () => {
    const bus = new InProcessEventBus();
    await bus.ensureTopics([PolicyBundleRecord.topic]);
    const published: PolicyBundleValue[] = [];
    await bus.subscribe(
      { topic: PolicyBundleRecord.topic.name, groupId: 'spec', fromBeginning: true },
      async (message) => {
        published.push(parseEvent(PolicyBundleRecord, message));
      },
    );
    const bundles = new PolicyBundlesService(
      inMemoryRepository(),
      bus,
      { defaultDecision: 'deny' },
      new ReadinessRegistry(),
    );
    const controller = new PolicyGrpcController(bundles);

    expect(() => controller.decide({ tenant: 'default' } as never)).toThrow(/not loaded/);
    bundles.onApplicationBootstrap();
    await waitFor(() => bundles.isLoaded(), { description: 'bundles to load' });

    expect(controller.decide({ tenant: 'default', action: 'tools/call' } as never)).toMatchObject({
      decision: 'deny',
    });
    expect(() => controller.decide({ tenant: 'other' } as never)).toThrow(
      /no policy bundle for tenant "other"/,
    );
    await waitFor(() => published.length === 1, { description: 'the bundle on the bundles topic' });
    expect(published[0]).toMatchObject({ tenant: 'default', defaultDecision: 'deny', revision: 1 });
    bundles.onModuleDestroy();
    await bus.close();
  });
});
