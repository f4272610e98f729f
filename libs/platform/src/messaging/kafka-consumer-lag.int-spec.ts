import { randomBytes } from 'node:crypto';
import type { TopicSpec } from '@gateway/contracts';
import { type Admin, Kafka, logLevel } from 'kafkajs';
import pino from 'pino';
import type { IncomingMessage, PartitionLag } from './event-bus';
import { KafkaEventBus } from './kafka-event-bus';
import { waitFor } from './wait-for.test-helper';

const brokers = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
const runId = `${Date.now()}-${randomBytes(3).toString('hex')}`;
const logger = pino({ level: process.env['LOG_LEVEL'] ?? 'silent' });

const topic: TopicSpec = { name: `test.${runId}.lag`, key: 'id', compacted: false, partitions: 2 };
const groupId = `test.${runId}.lag-group`;

let admin: Admin;
let bus: KafkaEventBus;

function total(lags: readonly PartitionLag[], field: 'committedOffset' | 'logEndOffset' | 'lag'): number {
  return lags.reduce((sum, lag) => sum + (lag[field] ?? 0), 0);
}

function publish(count: number, from: number): void {
  for (let n = from; n < from + count; n += 1) {
    bus.publish({ topic: topic.name, key: `key-${n}`, value: { n } });
  }
}

beforeAll(async () => {
  admin = new Kafka({ brokers, clientId: `lag-spec-admin-${runId}`, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  bus = new KafkaEventBus({
    brokers,
    clientId: `lag-spec-${runId}`,
    logger,
    retryBackoff: { initialMs: 100, maxMs: 1_000 },
  });
  await bus.ensureTopics([topic]);
}, 60_000);

afterAll(async () => {
  await bus.close();
  try {
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.deleteTopics({ topics: [topic.name] });
  } finally {
    await admin.disconnect();
  }
}, 60_000);

describe('KafkaEventBus.consumerLag against a real broker', () => {
  it('reports produced minus consumed for a fresh group on a fresh topic, per partition', async () => {
    await expect(bus.consumerLag([groupId])).resolves.toEqual([]);

    publish(10, 0);
    await expect(bus.flush(10_000)).resolves.toBe(0);
    const received: IncomingMessage[] = [];
    const subscription = await bus.subscribe(
      { topic: topic.name, groupId, fromBeginning: true },
      (message) => {
        received.push(message);
        return Promise.resolve();
      },
    );
    await waitFor(() => received.length === 10, { timeoutMs: 30_000, description: 'ten messages consumed' });
    // kafkajs commits after the handler returns, at the end of each batch.
    await waitFor(async () => total(await bus.consumerLag([groupId]), 'committedOffset') === 10, {
      timeoutMs: 15_000,
      description: 'the group to commit all ten',
    });
    await subscription.close();

    publish(4, 10);
    await expect(bus.flush(10_000)).resolves.toBe(0);

    const lags = await bus.consumerLag([groupId]);
    expect(total(lags, 'logEndOffset')).toBe(14);
    expect(total(lags, 'lag')).toBe(4);
    for (const lag of lags) {
      const consumedHere = received.filter((message) => message.partition === lag.partition).length;
      expect(lag).toMatchObject({ groupId, topic: topic.name, committedOffset: consumedHere });
      expect(lag.lag).toBe(lag.logEndOffset - consumedHere);
    }
    expect(lags.map((lag) => lag.partition).sort()).toEqual([0, 1]);

    const everyGroup = await bus.consumerLag();
    expect(everyGroup.filter((lag) => lag.groupId === groupId)).toEqual(expect.arrayContaining(lags));
  }, 90_000);
});
