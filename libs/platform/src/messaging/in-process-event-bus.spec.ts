import type { TopicSpec } from '@gateway/contracts';
import pino from 'pino';
import type { IncomingMessage, Subscription } from './event-bus';
import { InProcessEventBus } from './in-process-event-bus';
import { InvalidEventError } from './publish-event';
import { waitFor } from './wait-for.test-helper';

const state: TopicSpec = { name: 'test.state', key: 'id', compacted: true, partitions: 3 };
const stream: TopicSpec = { name: 'test.stream', key: 'id', compacted: false, partitions: 3 };

function createBus(retainedMessagesPerPartition = 1_000): InProcessEventBus {
  return new InProcessEventBus({
    logger: pino({ level: 'silent' }),
    retryBackoff: { initialMs: 5, maxMs: 20 },
    retainedMessagesPerPartition,
  });
}

/** Subscribes and records what arrives, as `key=value` strings. */
async function record(
  bus: InProcessEventBus,
  topic: string,
  groupId: string,
  fromBeginning = false,
): Promise<{ received: IncomingMessage[]; subscription: Subscription }> {
  const received: IncomingMessage[] = [];
  const subscription = await bus.subscribe({ topic, groupId, fromBeginning }, (message) => {
    received.push(message);
    return Promise.resolve();
  });
  return { received, subscription };
}

const asText = (messages: readonly IncomingMessage[]): string[] =>
  messages.map((message) => `${message.key}=${JSON.stringify(message.value)}`);

describe('InProcessEventBus', () => {
  let bus: InProcessEventBus;

  beforeEach(async () => {
    bus = createBus();
    await bus.ensureTopics([state, stream]);
  });

  afterEach(async () => {
    await bus.close();
  });

  it('delivers asynchronously: publish() returns before any handler runs', async () => {
    const { received } = await record(bus, stream.name, 'group');
    bus.publish({ topic: stream.name, key: 'a', value: { n: 1 } });
    expect(received).toHaveLength(0);
    await waitFor(() => received.length === 1);
    expect(received[0]).toMatchObject({ topic: stream.name, key: 'a', value: { n: 1 }, offset: '0' });
  });

  it('skips a message that breaks its contract instead of redelivering it forever', async () => {
    const attempts: unknown[] = [];
    await bus.subscribe({ topic: stream.name, groupId: 'strict' }, (message) => {
      attempts.push(message.value);
      const broken = (message.value as { n: number }).n === 0;
      return broken
        ? Promise.reject(new InvalidEventError(stream.name, [], 'missing eventId'))
        : Promise.resolve();
    });
    // Same key, so the same partition: the second waits until the first is settled.
    bus.publish({ topic: stream.name, key: 'k', value: { n: 0 } });
    bus.publish({ topic: stream.name, key: 'k', value: { n: 1 } });
    await waitFor(() => attempts.length === 2);
    expect(attempts).toEqual([{ n: 0 }, { n: 1 }]);
  });

  it('gives every group every message, and each message to one member of a group', async () => {
    const first = await record(bus, stream.name, 'shared');
    const second = await record(bus, stream.name, 'shared');
    const other = await record(bus, stream.name, 'other');
    for (let n = 0; n < 30; n += 1) bus.publish({ topic: stream.name, key: `key-${n}`, value: n });

    await waitFor(
      () => other.received.length === 30 && first.received.length + second.received.length === 30,
    );
    const sharedValues = [...first.received, ...second.received].map((message) => message.value as number);
    expect(sharedValues.sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, n) => n));
    // Three partitions over two members: both take part.
    expect(first.received.length).toBeGreaterThan(0);
    expect(second.received.length).toBeGreaterThan(0);
  });

  it('starts a new group at the end of the topic unless it asks for the beginning', async () => {
    bus.publish({ topic: stream.name, key: 'a', value: 'before' });
    const latest = await record(bus, stream.name, 'latest');
    const everything = await record(bus, stream.name, 'everything', true);
    bus.publish({ topic: stream.name, key: 'a', value: 'after' });

    await waitFor(() => everything.received.length === 2 && latest.received.length === 1);
    expect(asText(latest.received)).toEqual(['a="after"']);
    expect(asText(everything.received)).toEqual(['a="before"', 'a="after"']);
  });

  it('replays only the latest value per key of a compacted topic to a late subscriber', async () => {
    bus.publish({ topic: state.name, key: 'a', value: 1 });
    bus.publish({ topic: state.name, key: 'b', value: 1 });
    bus.publish({ topic: state.name, key: 'a', value: 2 });
    bus.publish({ topic: state.name, key: 'b', value: null });
    bus.publish({ topic: state.name, key: 'c', value: 1 });

    const late = await record(bus, state.name, 'late', true);
    await waitFor(() => late.received.length === 2);
    expect(asText(late.received).sort()).toEqual(['a=2', 'c=1']);
  });

  it('delivers a tombstone to live subscribers and then forgets the key', async () => {
    const live = await record(bus, state.name, 'live', true);
    bus.publish({ topic: state.name, key: 'gone', value: { v: 1 } });
    await waitFor(() => live.received.length === 1);
    bus.publish({ topic: state.name, key: 'gone', value: null });
    bus.publish({ topic: state.name, key: 'kept', value: { v: 1 } });
    await waitFor(() => live.received.length === 3);
    expect(asText(live.received)).toContain('gone=null');

    const late = await record(bus, state.name, 'late', true);
    await waitFor(() => late.received.length === 1);
    expect(asText(late.received)).toEqual(['kept={"v":1}']);
  });

  it('keeps a bounded tail of a non-compacted topic', async () => {
    const small = createBus(3);
    const topic: TopicSpec = { ...stream, partitions: 1 };
    await small.ensureTopics([topic]);
    for (let n = 0; n < 10; n += 1) small.publish({ topic: topic.name, key: 'k', value: n });

    const late = await record(small, topic.name, 'late', true);
    await waitFor(() => late.received.length > 0 && late.received.at(-1)?.value === 9);
    expect(late.received.length).toBeLessThanOrEqual(4);
    expect(late.received.map((message) => message.value)).toEqual(
      Array.from({ length: late.received.length }, (_, index) => 10 - late.received.length + index),
    );
    await small.close();
  });

  it('redelivers a message whose handler threw, before the next message of its partition', async () => {
    const topic: TopicSpec = { ...stream, partitions: 1 };
    const single = createBus();
    await single.ensureTopics([topic]);
    const attempts: string[] = [];
    await single.subscribe({ topic: topic.name, groupId: 'flaky' }, (message) => {
      attempts.push(String(message.value));
      if (message.value === 'first' && attempts.length < 3) return Promise.reject(new Error('not yet'));
      return Promise.resolve();
    });
    single.publish({ topic: topic.name, key: 'a', value: 'first' });
    single.publish({ topic: topic.name, key: 'b', value: 'second' });

    await waitFor(() => attempts.includes('second'));
    expect(attempts).toEqual(['first', 'first', 'first', 'second']);
    await single.close();
  });

  describe('batches', () => {
    const single: TopicSpec = { ...stream, name: 'test.batched', partitions: 1 };

    it('hands over what waits on a partition at once, up to the batch size, in order', async () => {
      await bus.ensureTopics([single]);
      const batches: number[][] = [];
      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => (release = resolve));
      await bus.subscribeBatches(
        { topic: single.name, groupId: 'batched', maxBatchSize: 3 },
        async (messages) => {
          batches.push(messages.map((message) => message.value as number));
          if (batches.length === 1) await held;
        },
      );
      bus.publish({ topic: single.name, key: 'k', value: 0 });
      await waitFor(() => batches.length === 1);
      // While the first batch is being handled, five more arrive: they come as 3 + 2.
      for (let n = 1; n <= 5; n += 1) bus.publish({ topic: single.name, key: 'k', value: n });
      release();
      await waitFor(() => batches.length === 3);
      expect(batches).toEqual([[0], [1, 2, 3], [4, 5]]);
    });

    it('redelivers a whole batch whose handler threw', async () => {
      await bus.ensureTopics([single]);
      const batches: number[][] = [];
      await bus.subscribeBatches({ topic: single.name, groupId: 'retried', maxBatchSize: 10 }, (messages) => {
        batches.push(messages.map((message) => message.value as number));
        return batches.length === 1 ? Promise.reject(new Error('database down')) : Promise.resolve();
      });
      bus.publish({ topic: single.name, key: 'k', value: 1 });
      await waitFor(() => batches.length === 2);
      expect(batches[1]).toEqual(batches[0]);
    });

    it('splits a batch holding a message that breaks its contract, and skips only that one', async () => {
      await bus.ensureTopics([single]);
      const handled: number[] = [];
      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => (release = resolve));
      await bus.subscribeBatches(
        { topic: single.name, groupId: 'strict', maxBatchSize: 10 },
        async (messages) => {
          const values = messages.map((message) => message.value as number);
          if (values.includes(0)) await held;
          if (values.includes(2)) throw new InvalidEventError(single.name, [], 'missing eventId');
          handled.push(...values);
        },
      );
      bus.publish({ topic: single.name, key: 'k', value: 0 });
      await waitFor(() => bus.consumerLag(['strict']).then((lags) => lags[0]?.lag === 1));
      for (let n = 1; n <= 3; n += 1) bus.publish({ topic: single.name, key: 'k', value: n });
      release();
      await waitFor(() => handled.includes(3));
      expect(handled).toEqual([0, 1, 3]);
    });
  });

  it('keeps per-key order while partitions are handled concurrently', async () => {
    const seen = new Map<string, number[]>();
    await bus.subscribe({ topic: stream.name, groupId: 'ordered' }, async (message) => {
      // Uneven handler times would reorder anything that is not serialised per partition.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
      const { key, n } = message.value as { key: string; n: number };
      seen.set(key, [...(seen.get(key) ?? []), n]);
    });
    const keys = ['a', 'b', 'c', 'd', 'e'];
    for (let n = 0; n < 100; n += 1) {
      const key = keys[n % keys.length] ?? 'a';
      bus.publish({ topic: stream.name, key, value: { key, n } });
    }

    await waitFor(() => [...seen.values()].reduce((sum, list) => sum + list.length, 0) === 100);
    for (const list of seen.values()) expect(list).toEqual([...list].sort((a, b) => a - b));
  });

  it('moves a closed member’s partitions to the remaining member', async () => {
    const first = await record(bus, stream.name, 'group');
    const second = await record(bus, stream.name, 'group');
    await first.subscription.close();
    for (let n = 0; n < 10; n += 1) bus.publish({ topic: stream.name, key: `key-${n}`, value: n });

    await waitFor(() => second.received.length === 10);
    expect(first.received).toHaveLength(0);
  });

  it('hands every handler its own copy of the value', async () => {
    const values: unknown[] = [];
    const mutate = (message: IncomingMessage): Promise<void> => {
      values.push(message.value);
      (message.value as { n: number }).n += 1;
      return Promise.resolve();
    };
    await bus.subscribe({ topic: stream.name, groupId: 'one' }, mutate);
    await bus.subscribe({ topic: stream.name, groupId: 'two' }, mutate);
    bus.publish({ topic: stream.name, key: 'a', value: { n: 1 } });

    await waitFor(() => values.length === 2);
    expect(values).toEqual([{ n: 2 }, { n: 2 }]);
  });

  it('rejects a value that cannot travel as JSON', () => {
    expect(() => bus.publish({ topic: stream.name, key: 'a', value: undefined })).toThrow(TypeError);
  });

  it('reports a group’s lag as published minus handled, per partition', async () => {
    const single: TopicSpec = { name: 'test.lag', key: 'id', compacted: false, partitions: 1 };
    await bus.ensureTopics([single]);
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const handled: unknown[] = [];
    await bus.subscribe({ topic: single.name, groupId: 'slow' }, async (message) => {
      if (handled.length === 2) await gate;
      handled.push(message.value);
    });
    await record(bus, stream.name, 'other');
    for (let n = 0; n < 5; n += 1) bus.publish({ topic: single.name, key: 'a', value: n });

    await waitFor(() => handled.length === 2, { description: 'two messages handled' });
    await expect(bus.consumerLag(['slow'])).resolves.toEqual([
      { groupId: 'slow', topic: single.name, partition: 0, committedOffset: 2, logEndOffset: 5, lag: 3 },
    ]);
    release();
    await waitFor(async () => (await bus.consumerLag(['slow']))[0]?.lag === 0, {
      description: 'the slow group to catch up',
    });
    const groups = new Set((await bus.consumerLag()).map((lag) => lag.groupId));
    expect(groups).toEqual(new Set(['slow', 'other']));
  });

  it('is always ready, buffers nothing and counts messages published after close', async () => {
    expect(bus.health()).toMatchObject({ ready: true, buffered: 0, dropped: 0 });
    await expect(bus.flush(100)).resolves.toBe(0);
    await bus.close();
    bus.publish({ topic: stream.name, key: 'a', value: 1 });
    expect(bus.health()).toMatchObject({ ready: false, dropped: 1 });
  });
});
