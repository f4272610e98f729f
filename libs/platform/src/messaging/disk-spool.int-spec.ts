import { appendFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { DiskSpool, type SpooledMessage } from './disk-spool';
import { claimSpoolDirectory } from './spool-directory-claim';
import { KafkaPublishBuffer } from './kafka-publish-buffer';

const logger = pino({ level: 'silent' });
let directory: string;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'spool-'));
});

afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

function message(n: number): SpooledMessage {
  return { topic: 't', key: `k${n % 3}`, value: JSON.stringify({ n }), headers: { traceparent: `tp-${n}` } };
}

function openSpool(options: { maxBytes?: number; segmentBytes?: number } = {}): {
  spool: DiskSpool;
  drops: number[];
} {
  const drops: number[] = [];
  const spool = new DiskSpool({
    directory,
    maxBytes: options.maxBytes ?? 1024 * 1024,
    segmentBytes: options.segmentBytes,
    logger,
    onDrop: (count) => drops.push(count),
  });
  return { spool, drops };
}

const takeUpTo =
  (limit: number) =>
  (_message: SpooledMessage, taken: number): boolean =>
    taken < limit;

function numbers(messages: readonly SpooledMessage[]): number[] {
  return messages.map((spooled) => (JSON.parse(spooled.value as string) as { n: number }).n);
}

describe('DiskSpool', () => {
  it('hands messages back in order across segments and frees acknowledged segments', () => {
    const { spool } = openSpool({ segmentBytes: 300 });
    for (let n = 0; n < 20; n += 1) spool.append([message(n)]);
    expect(spool.size).toBe(20);
    expect(readdirSync(directory).filter((name) => name.startsWith('segment-')).length).toBeGreaterThan(2);

    const seen: number[] = [];
    for (let batch = spool.take(takeUpTo(7)); batch.length > 0; batch = spool.take(takeUpTo(7))) {
      // The batch in flight stays counted until the broker acknowledges it.
      expect(spool.size).toBe(20 - seen.length);
      seen.push(...numbers(batch));
      spool.acknowledge();
    }
    expect(seen).toEqual([...Array(20).keys()]);
    expect(spool.size).toBe(0);
    expect(readdirSync(directory).filter((name) => name.startsWith('segment-'))).toEqual([]);
  });

  it('keeps the tombstone and headers of a message', () => {
    const { spool } = openSpool();
    spool.append([{ topic: 'state', key: 'a', value: null, headers: { traceparent: 'x' } }]);
    expect(spool.take(takeUpTo(10))).toEqual([
      { topic: 'state', key: 'a', value: null, headers: { traceparent: 'x' } },
    ]);
  });

  it('resumes after a restart from the last acknowledged message, resending an unacknowledged batch', () => {
    const first = openSpool({ segmentBytes: 400 }).spool;
    first.append([...Array(10).keys()].map(message));
    expect(numbers(first.take(takeUpTo(4)))).toEqual([0, 1, 2, 3]);
    first.acknowledge();
    expect(numbers(first.take(takeUpTo(3)))).toEqual([4, 5, 6]);
    // The process dies here: 4..6 were sent but never acknowledged.

    const second = openSpool({ segmentBytes: 400 }).spool;
    expect(second.size).toBe(6);
    const rest: number[] = [];
    for (let batch = second.take(takeUpTo(100)); batch.length > 0; batch = second.take(takeUpTo(100))) {
      rest.push(...numbers(batch));
      second.acknowledge();
    }
    expect(rest).toEqual([4, 5, 6, 7, 8, 9]);
  });

  it('skips a torn last line after a crash mid-write and counts it lost', () => {
    const { spool } = openSpool();
    spool.append([message(1), message(2)]);
    const segment = readdirSync(directory).find((name) => name.startsWith('segment-')) as string;
    appendFileSync(join(directory, segment), '{"t":"t","k":"k0","v":"{\\"n"\n');

    const reopened = openSpool();
    expect(reopened.spool.size).toBe(3);
    expect(numbers(reopened.spool.take(takeUpTo(10)))).toEqual([1, 2]);
    expect(reopened.drops).toEqual([1]);
    expect(reopened.spool.size).toBe(2);
  });

  it('drops the oldest segment when over its limit, never the batch in flight', () => {
    const { spool, drops } = openSpool({ maxBytes: 1_000, segmentBytes: 300 });
    spool.append([message(0), message(1), message(2), message(3)]);
    expect(numbers(spool.take(takeUpTo(2)))).toEqual([0, 1]);
    for (let n = 4; n < 40; n += 1) spool.append([message(n)]);

    expect(spool.bytes).toBeLessThanOrEqual(1_000 + 300);
    expect(drops.reduce((sum, count) => sum + count, 0)).toBeGreaterThan(0);
    spool.acknowledge();
    const rest: number[] = [];
    for (let batch = spool.take(takeUpTo(100)); batch.length > 0; batch = spool.take(takeUpTo(100))) {
      rest.push(...numbers(batch));
      spool.acknowledge();
    }
    // What survives is in order and ends with the newest message.
    expect(rest).toEqual([...rest].sort((a, b) => a - b));
    expect(rest.at(-1)).toBe(39);
    expect(rest.length + 2 + drops.reduce((sum, count) => sum + count, 0)).toBe(40);
  });
});

describe('claimSpoolDirectory', () => {
  it('gives a second live owner its own directory and hands a dead owner’s directory over', () => {
    const first = claimSpoolDirectory(directory, 'ingress');
    const second = claimSpoolDirectory(directory, 'ingress');
    expect(first.directory).toBe(join(directory, 'ingress'));
    expect(second.directory).toBe(join(directory, 'ingress-2'));

    first.release();
    expect(claimSpoolDirectory(directory, 'ingress').directory).toBe(join(directory, 'ingress'));

    // A pid that cannot be alive: the claim of a crashed process.
    writeFileSync(join(directory, 'ingress-2', 'owner.pid'), '2147483646');
    expect(claimSpoolDirectory(directory, 'ingress').directory).toBe(join(directory, 'ingress-2'));
  });
});

describe('KafkaPublishBuffer with a spool', () => {
  function drain(buffer: KafkaPublishBuffer): number[] {
    const values: number[] = [];
    for (let batch = buffer.batch(); batch.length > 0; batch = buffer.batch()) {
      for (const topic of batch) {
        for (const sent of topic.messages) values.push((JSON.parse(sent.value as string) as { n: number }).n);
      }
      buffer.acknowledge();
    }
    return values;
  }

  it('moves what does not fit in memory to disk and sends everything in publish order', () => {
    const { spool } = openSpool();
    const buffer = new KafkaPublishBuffer(5, logger, spool);
    const add = (n: number): void => buffer.add('t', `k${n % 3}`, JSON.stringify({ n }), {});
    for (let n = 0; n < 3; n += 1) add(n);
    // 0..2 go in flight; the broker does not answer while the rest arrive.
    expect(buffer.batch()[0]?.messages).toHaveLength(3);
    for (let n = 3; n < 40; n += 1) add(n);

    expect(buffer).toMatchObject({ size: 40, dropped: 0 });
    expect(buffer.spooled).toBeGreaterThan(30);
    expect(drain(buffer)).toEqual([...Array(40).keys()]);
    expect(buffer).toMatchObject({ size: 0, spooled: 0 });
  });

  it('sends a new message to disk when everything in memory is in flight', () => {
    const buffer = new KafkaPublishBuffer(2, logger, openSpool().spool);
    for (let n = 0; n < 2; n += 1) buffer.add('t', 'k', JSON.stringify({ n }), {});
    expect(buffer.batch()[0]?.messages).toHaveLength(2);
    for (let n = 2; n < 6; n += 1) buffer.add('t', 'k', JSON.stringify({ n }), {});
    expect(buffer).toMatchObject({ size: 6, spooled: 4, dropped: 0 });
    expect(drain(buffer)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('counts what the spool drops at its limit among the dropped events', () => {
    // As the publisher wires them: the spool reports its losses to the buffer that owns it.
    const owner: { buffer?: KafkaPublishBuffer } = {};
    const spool = new DiskSpool({
      directory,
      maxBytes: 1_000,
      segmentBytes: 300,
      logger,
      onDrop: (count, reason) => owner.buffer?.countSpoolDrop(count, reason),
    });
    const buffer = new KafkaPublishBuffer(1, logger, spool);
    owner.buffer = buffer;
    buffer.add('t', 'k', JSON.stringify({ n: 0 }), {});
    buffer.batch();
    for (let n = 1; n < 40; n += 1) buffer.add('t', 'k', JSON.stringify({ n }), {});
    expect(buffer.dropped).toBeGreaterThan(0);
    expect(buffer.size + buffer.dropped).toBe(40);
  });

  it('persists memory to the spool at close, so the next process sends it first', () => {
    const buffer = new KafkaPublishBuffer(100, logger, openSpool().spool);
    for (let n = 0; n < 5; n += 1) buffer.add('t', 'k', JSON.stringify({ n }), {});
    buffer.batch();
    expect(buffer.persist()).toBe(0);

    const next = new KafkaPublishBuffer(100, logger, openSpool().spool);
    next.add('t', 'k', JSON.stringify({ n: 5 }), {});
    expect(next.size).toBe(6);
    expect(drain(next)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('without a spool, reports what persist() could not keep', () => {
    const buffer = new KafkaPublishBuffer(100, logger);
    buffer.add('t', 'k', '1', {});
    expect(buffer.persist()).toBe(1);
  });
});
