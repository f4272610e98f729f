import pino from 'pino';
import { KafkaPublishBuffer } from './kafka-publish-buffer';

const logger = pino({ level: 'silent' });

function valuesOf(buffer: KafkaPublishBuffer): unknown[] {
  return buffer.batch().flatMap((topic) => topic.messages.map((message) => message.value));
}

describe('KafkaPublishBuffer', () => {
  it('drops the oldest waiting message when full, never one in flight', () => {
    const buffer = new KafkaPublishBuffer(3, logger);
    buffer.add('t', 'k', '"a"', {});
    buffer.add('t', 'k', '"b"', {});
    expect(valuesOf(buffer)).toEqual(['"a"', '"b"']);

    buffer.add('t', 'k', '"c"', {});
    buffer.add('t', 'k', '"d"', {});
    buffer.add('t', 'k', '"e"', {});
    expect(buffer).toMatchObject({ size: 3, dropped: 2, waiting: 1 });
    // The batch in flight is resent unchanged until acknowledged.
    expect(valuesOf(buffer)).toEqual(['"a"', '"b"']);

    buffer.acknowledge();
    expect(valuesOf(buffer)).toEqual(['"e"']);
  });

  it('refuses the new message when everything buffered is in flight', () => {
    const buffer = new KafkaPublishBuffer(1, logger);
    buffer.add('t', 'k', '"a"', {});
    buffer.batch();
    buffer.add('t', 'k', '"b"', {});
    expect(buffer).toMatchObject({ size: 1, dropped: 1 });
    expect(valuesOf(buffer)).toEqual(['"a"']);
  });

  it('groups a batch by topic and caps it at 500 messages', () => {
    const buffer = new KafkaPublishBuffer(10_000, logger);
    for (let n = 0; n < 600; n += 1) buffer.add(n % 2 === 0 ? 'even' : 'odd', `k${n}`, String(n), {});
    const batch = buffer.batch();
    expect(batch.map((topic) => [topic.topic, topic.messages.length])).toEqual([
      ['even', 250],
      ['odd', 250],
    ]);
    expect(buffer.waiting).toBe(100);
  });

  it('caps a batch by bytes and rejects a message too large for Kafka', () => {
    const buffer = new KafkaPublishBuffer(100, logger);
    const large = JSON.stringify('x'.repeat(400_000));
    buffer.add('t', 'k', large, {});
    buffer.add('t', 'k', large, {});
    buffer.add('t', 'k', large, {});
    buffer.add('t', 'k', JSON.stringify('x'.repeat(1_000_000)), {});
    expect(buffer).toMatchObject({ size: 3, dropped: 1 });
    expect(buffer.batch()[0]?.messages).toHaveLength(2);
  });

  it('keeps tombstones as null values', () => {
    const buffer = new KafkaPublishBuffer(10, logger);
    buffer.add('t', 'k', null, { traceparent: 'x' });
    expect(buffer.batch()).toEqual([
      { topic: 't', messages: [{ key: 'k', value: null, headers: { traceparent: 'x' } }] },
    ]);
  });
});
