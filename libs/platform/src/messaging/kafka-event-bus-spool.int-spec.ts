import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import pino from 'pino';
import type { IncomingMessage } from './event-bus';
import { KafkaEventBus, type KafkaEventBusOptions } from './kafka-event-bus';
import { waitFor } from './wait-for.test-helper';

jest.setTimeout(120_000);

const brokers = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
const runId = `${Date.now()}-${randomBytes(3).toString('hex')}`;
const logger = pino({ level: process.env['LOG_LEVEL'] ?? 'silent' });
const topic = { name: `test.${runId}.spooled`, key: 'id', compacted: false, partitions: 3 };
const buses: KafkaEventBus[] = [];
let spoolRoot: string;

/** A loopback port nothing listens on: a broker that is down. */
async function deadBroker(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `127.0.0.1:${port}`;
}

function newBus(
  options: Partial<KafkaEventBusOptions> & Pick<KafkaEventBusOptions, 'brokers'>,
): KafkaEventBus {
  const bus = new KafkaEventBus({
    clientId: `int-spec-${runId}`,
    logger,
    retryBackoff: { initialMs: 100, maxMs: 500 },
    healthProbeIntervalMs: 500,
    closeFlushTimeoutMs: 200,
    maxBufferedMessages: 10,
    spool: { root: spoolRoot, name: 'publisher', maxBytes: 64 * 1024 * 1024 },
    ...options,
  });
  buses.push(bus);
  return bus;
}

beforeAll(() => {
  spoolRoot = mkdtempSync(join(tmpdir(), 'bus-spool-'));
});

afterAll(async () => {
  await Promise.all(buses.map((bus) => bus.close()));
  const admin = new Kafka({
    brokers,
    clientId: `int-spec-admin-${runId}`,
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [topic.name] }).catch(() => undefined);
  await admin.disconnect();
  rmSync(spoolRoot, { recursive: true, force: true });
});

describe('KafkaEventBus with a disk spool', () => {
  it('keeps what a process published while the broker was away and sends it, in order, after a restart', async () => {
    const offline = newBus({ brokers: [await deadBroker()] });
    for (let n = 0; n < 200; n += 1) {
      offline.publish({ topic: topic.name, key: `session-${n % 4}`, value: { n } });
    }
    // Ten fit in memory; the rest went to disk.
    expect(offline.health()).toMatchObject({ buffered: 200, ready: false });
    expect(offline.health().spooled).toBeGreaterThanOrEqual(190);
    await offline.close();

    const online = newBus({ brokers });
    // Read back from disk as the bus is built, before anything could be sent.
    expect(online.health()).toMatchObject({ buffered: 200, spooled: 200 });
    await online.ensureTopics([topic]);
    const received: IncomingMessage[] = [];
    await online.subscribe(
      { topic: topic.name, groupId: `test.${runId}.reader`, fromBeginning: true },
      (message) => {
        received.push(message);
        return Promise.resolve();
      },
    );
    online.publish({ topic: topic.name, key: 'session-0', value: { n: 200 } });

    await waitFor(() => received.length >= 201, {
      timeoutMs: 60_000,
      description: 'every spooled message delivered',
    });
    const byKey = new Map<string, number[]>();
    for (const message of received) {
      byKey.set(message.key, [...(byKey.get(message.key) ?? []), (message.value as { n: number }).n]);
    }
    expect(received).toHaveLength(201);
    for (const [key, values] of byKey) {
      expect({ key, values }).toEqual({ key, values: [...values].sort((a, b) => a - b) });
    }
    expect(byKey.get('session-0')?.at(-1)).toBe(200);
    await waitFor(() => online.health().buffered === 0, { description: 'spool drained' });
    expect(online.health().spooled).toBe(0);
  });
});
