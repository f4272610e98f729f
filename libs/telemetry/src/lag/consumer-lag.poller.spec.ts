import { InProcessEventBus } from '@gateway/platform';
import { waitFor } from '@gateway/testing';
import pino from 'pino';
import { InstanceRegistry } from '../fleet/instance-registry';
import { MetricsPipeline } from '../metrics/metrics-pipeline';
import { samplesOf } from '../metrics/prometheus-text.test-helper';
import type { TelemetryConfig } from '../telemetry-config';
import { ConsumerLagPoller } from './consumer-lag.poller';

const config: TelemetryConfig = {
  instanceId: 'telemetry-test',
  serviceName: 'telemetry',
  callsGroup: 'telemetry',
  lagGroups: ['audit'],
  lagIntervalMs: 60_000,
};

describe('ConsumerLagPoller', () => {
  let bus: InProcessEventBus;
  let pipeline: MetricsPipeline;
  let registry: InstanceRegistry;
  let poller: ConsumerLagPoller;
  let release: () => void;
  let held: Promise<void>;

  beforeEach(async () => {
    held = new Promise((resolve) => (release = resolve));
    bus = new InProcessEventBus({ logger: pino({ level: 'silent' }) });
    await bus.ensureTopics([{ name: 'calls', key: 'id', compacted: false, partitions: 2 }]);
    pipeline = new MetricsPipeline({ serviceName: 'telemetry', instanceId: 'telemetry-test' });
    registry = new InstanceRegistry();
    poller = new ConsumerLagPoller(config, bus, registry, pipeline);
  });

  afterEach(async () => {
    release();
    await bus.close();
    await pipeline.onApplicationShutdown();
  });

  it('exports the lag of the configured groups and of those live replicas announce, per partition', async () => {
    await bus.subscribe({ topic: 'calls', groupId: 'audit' }, () => held);
    await bus.subscribe({ topic: 'calls', groupId: 'router-a-catalog' }, () => held);
    await bus.subscribe({ topic: 'calls', groupId: 'unwatched' }, () => held);
    registry.apply({
      service: 'router',
      instanceId: 'router-a',
      reportedAt: new Date().toISOString(),
      intervalMs: 5_000,
      consumerGroups: ['router-a-catalog'],
      upstreams: [],
    });
    for (let n = 0; n < 6; n += 1) bus.publish({ topic: 'calls', key: `session-${n}`, value: { n } });

    await poller.poll();
    const text = await pipeline.scrape();
    const lags = samplesOf(text, 'mcp_gateway_kafka_consumer_lag', { topic: 'calls' });
    expect(new Set(lags.map((lag) => lag.labels['group']))).toEqual(new Set(['audit', 'router-a-catalog']));
    expect(lags.map((lag) => lag.labels['partition']).sort()).toEqual(['0', '0', '1', '1']);
    // The handlers have not returned yet, so nothing is committed: every message counts.
    const auditTotal = samplesOf(text, 'mcp_gateway_kafka_consumer_lag', { group: 'audit' }).reduce(
      (sum, lag) => sum + lag.value,
      0,
    );
    expect(auditTotal).toBe(6);
  });

  it('drops the figures when the bus cannot answer instead of showing stale ones', async () => {
    await bus.subscribe({ topic: 'calls', groupId: 'audit' }, () => Promise.resolve());
    bus.publish({ topic: 'calls', key: 'a', value: 1 });
    await waitFor(async () => (await bus.consumerLag(['audit'])).some((lag) => lag.committedOffset === 1), {
      timeoutMs: 5_000,
      description: 'audit to handle the message',
    });
    await poller.poll();
    expect(samplesOf(await pipeline.scrape(), 'mcp_gateway_kafka_consumer_lag')).not.toEqual([]);

    await bus.close();
    await poller.poll();
    expect(samplesOf(await pipeline.scrape(), 'mcp_gateway_kafka_consumer_lag')).toEqual([]);
  });
});
