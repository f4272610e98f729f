import { AdminChange, CatalogRecord, EventHeaders, type EventOf } from '@gateway/contracts';
import type { IncomingMessage } from './event-bus';
import {
  InvalidEventError,
  parseEvent,
  parseStateRecord,
  publishEvent,
  publishTombstone,
} from './publish-event';
import { RecordingBus } from './recording-event-bus.test-helper';

const change: EventOf<typeof AdminChange> = AdminChange.example;

function incoming(message: Partial<IncomingMessage>): IncomingMessage {
  return {
    topic: AdminChange.topic.name,
    key: 'k',
    value: null,
    headers: {},
    partition: 0,
    offset: '0',
    ...message,
  };
}

describe('publishEvent', () => {
  it('publishes a valid event with its derived key and the contract headers', () => {
    const bus = new RecordingBus();
    publishEvent(bus, AdminChange, change, { 'x-request-id': 'r1' });

    expect(bus.published).toEqual([
      {
        topic: 'mcp.admin.changes.v1',
        key: change.entityId,
        value: change,
        headers: {
          'x-request-id': 'r1',
          [EventHeaders.schemaVersion]: '1',
          [EventHeaders.eventType]: 'mcp.admin.changes.v1',
        },
      },
    ]);
  });

  it('sends the parsed value, without keys the contract does not know', () => {
    const bus = new RecordingBus();
    publishEvent(bus, AdminChange, { ...change, secret: 'not in the contract' } as typeof change);
    expect(bus.published[0]?.value).toEqual(change);
  });

  it('throws InvalidEventError naming the topic and the issues, and publishes nothing', () => {
    const bus = new RecordingBus();
    const publishInvalid = (): void =>
      publishEvent(bus, AdminChange, {
        ...change,
        eventId: 'not-a-uuid',
        action: 'exploded',
      } as unknown as typeof change);

    expect(publishInvalid).toThrow(InvalidEventError);
    try {
      publishInvalid();
    } catch (error) {
      const invalid = error as InvalidEventError;
      expect(invalid.topic).toBe('mcp.admin.changes.v1');
      expect(invalid.message).toContain('mcp.admin.changes.v1');
      expect(invalid.issues.map((issue) => issue.path.join('.')).sort()).toEqual(['action', 'eventId']);
    }
    expect(bus.published).toHaveLength(0);
  });

  it('publishes tombstones on compacted topics only', () => {
    const bus = new RecordingBus();
    publishTombstone(bus, CatalogRecord, 'everything');
    expect(bus.published[0]).toMatchObject({
      topic: CatalogRecord.topic.name,
      key: 'everything',
      value: null,
    });
    expect(() => publishTombstone(bus, AdminChange, 'x')).toThrow(InvalidEventError);
  });
});

describe('parseEvent', () => {
  it('returns the typed value of a valid message', () => {
    const wire = JSON.parse(JSON.stringify(change)) as unknown;
    expect(parseEvent(AdminChange, incoming({ value: wire }))).toEqual(change);
  });

  it('throws InvalidEventError for a value that breaks the contract', () => {
    expect(() =>
      parseEvent(AdminChange, incoming({ value: { ...change, occurredAt: 'yesterday' } })),
    ).toThrow(InvalidEventError);
  });

  it('throws for a tombstone and for a message of another topic', () => {
    expect(() => parseEvent(AdminChange, incoming({ value: null }))).toThrow(/tombstone/);
    expect(() => parseEvent(AdminChange, incoming({ topic: 'mcp.gateway.calls.v1', value: change }))).toThrow(
      /mcp\.gateway\.calls\.v1/,
    );
  });
});

describe('parseStateRecord', () => {
  it('returns null for a tombstone and the typed record otherwise', () => {
    const topic = CatalogRecord.topic.name;
    expect(parseStateRecord(CatalogRecord, incoming({ topic, value: null }))).toBeNull();
    expect(parseStateRecord(CatalogRecord, incoming({ topic, value: CatalogRecord.example }))).toEqual(
      CatalogRecord.example,
    );
  });
});
