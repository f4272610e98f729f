import { randomBytes } from 'node:crypto';
import { type INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import pino from 'pino';
import { PolicyBundleRecord, type PolicyBundleValue } from '@gateway/contracts';
import {
  KafkaEventBus,
  PlatformModule,
  publishEvent,
  publishTombstone,
  ReadinessRegistry,
} from '@gateway/platform';
import { waitFor } from '@gateway/testing';
import { PolicyBundleDirectory } from './policy-bundle.directory';
import type { PolicyEngine } from './policy.engine';
import { policySource, principal } from './policy-engine.fixture';

process.env['LOG_LEVEL'] ??= process.env['TEST_LOG_LEVEL'] ?? 'silent';

jest.setTimeout(120_000);

const brokers = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
const run = randomBytes(4).toString('hex');
/* A tenant of this run only: the topic is the real one, which other tests and replicas read too. */
const tenant = `dirint-${run}`;
const INSTANCE_ID = Symbol('INSTANCE_ID');

function bundle(revision: number, source: string): PolicyBundleValue {
  return { tenant, revision, source, defaultDecision: 'deny', publishedAt: new Date().toISOString() };
}

const echo = { kind: 'tool', server: 'everything', name: 'echo' } as const;

describe('PolicyBundleDirectory on a Kafka broker', () => {
  const producer = new KafkaEventBus({
    brokers,
    clientId: `directory-int-producer-${run}`,
    logger: pino({ level: 'silent' }),
  });
  let app: INestApplicationContext;
  let directory: PolicyBundleDirectory;
  const changes: Array<[string, number | undefined]> = [];

  const caughtUp = async (): Promise<boolean> => {
    const lags = await producer.consumerLag([directory.groupId]);
    const ours = lags.filter((lag) => lag.topic === PolicyBundleRecord.topic.name);
    return ours.length > 0 && ours.every((lag) => lag.logEndOffset === 0 || lag.lag === 0);
  };

  beforeAll(async () => {
    await producer.ensureTopics([PolicyBundleRecord.topic]);
    publishEvent(
      producer,
      PolicyBundleRecord,
      bundle(
        1,
        policySource({ developers: 'permit (principal in Gateway::Role::"developer", action, resource);' }),
      ),
    );
    expect(await producer.flush(30_000)).toBe(0);

    @Module({
      imports: [
        PlatformModule.forRoot({ processName: `directory-int-${run}`, bus: { kind: 'kafka', brokers } }),
      ],
      providers: [
        { provide: INSTANCE_ID, useValue: `directory-int-${run}` },
        PolicyBundleDirectory.provider(INSTANCE_ID),
      ],
    })
    class DataPlaneModule {}
    app = await NestFactory.createApplicationContext(DataPlaneModule, { logger: false });
    await app.init();
    directory = app.get(PolicyBundleDirectory);
    directory.onChange((changed: string, engine: PolicyEngine | undefined) => {
      if (changed === tenant) changes.push([changed, engine?.revision]);
    });
  });

  afterAll(async () => {
    await app?.close();
    await producer.close();
  });

  it('reads the bundle published before it started, compiles it, and becomes ready', async () => {
    const engine = await waitFor(() => directory.engineFor(tenant), {
      timeoutMs: 60_000,
      description: "the run's bundle from the topic",
    });
    expect(engine.revision).toBe(1);
    expect(
      engine.decide({
        principal: principal({ tenant, roles: ['developer'] }),
        action: 'tools/call',
        resource: echo,
        context: {},
      }),
    ).toMatchObject({
      decision: 'allow',
      policyIds: ['developers'],
    });
    await waitFor(() => app.get(ReadinessRegistry).evaluate().checks['policy-bundle-directory']?.ready, {
      timeoutMs: 60_000,
      description: 'the directory to report it has read the topic to its end',
    });
  });

  it('takes a new revision, keeps the previous engine for one that does not compile, and drops a tombstoned tenant', async () => {
    publishEvent(
      producer,
      PolicyBundleRecord,
      bundle(
        2,
        policySource({
          viewers:
            'permit (principal in Gateway::Role::"viewer", action in Gateway::Action::"view", resource);',
        }),
      ),
    );
    await waitFor(() => directory.engineFor(tenant)?.revision === 2, {
      timeoutMs: 30_000,
      description: 'revision 2',
    });
    const viewer = principal({ tenant, roles: ['viewer'] });
    expect(
      directory
        .engineFor(tenant)
        ?.decide({ principal: viewer, action: 'tools/list', resource: echo, context: {} }).decision,
    ).toBe('allow');

    publishEvent(
      producer,
      PolicyBundleRecord,
      bundle(3, '@id("broken")\npermit (principal, action, resource) when { 1 + };'),
    );
    expect(await producer.flush(30_000)).toBe(0);
    await waitFor(caughtUp, { timeoutMs: 30_000, description: 'the directory to read the broken revision' });
    expect(directory.engineFor(tenant)?.revision).toBe(2);
    expect(directory.bundleOf(tenant)?.revision).toBe(2);

    publishTombstone(producer, PolicyBundleRecord, tenant);
    await waitFor(() => directory.engineFor(tenant) === undefined, {
      timeoutMs: 30_000,
      description: 'the tombstone',
    });
    expect(changes).toEqual([
      [tenant, 1],
      [tenant, 2],
      [tenant, undefined],
    ]);
  });
});
