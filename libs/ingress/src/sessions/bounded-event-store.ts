import type { EventId, EventStore, JSONRPCMessage, StreamId } from '@modelcontextprotocol/server';

interface StoredEvent {
  readonly streamId: StreamId;
  readonly message: JSONRPCMessage;
}

/**
 * The events of one downstream session's SSE streams, so a client that lost a stream can
 * resume it with Last-Event-ID (Streamable HTTP resumability). Bounded: past the limit the
 * oldest events go, and a resumption from before them replays what is left.
 */
export class BoundedEventStore implements EventStore {
  private readonly events = new Map<EventId, StoredEvent>();
  private sequence = 0;

  constructor(private readonly limit = 1_000) {}

  async storeEvent(streamId: StreamId, message: JSONRPCMessage): Promise<EventId> {
    this.sequence += 1;
    const eventId = `${streamId}:${this.sequence}`;
    this.events.set(eventId, { streamId, message });
    if (this.events.size > this.limit) this.events.delete(this.events.keys().next().value!);
    return eventId;
  }

  async getStreamIdForEventId(eventId: EventId): Promise<StreamId | undefined> {
    return this.events.get(eventId)?.streamId ?? streamOf(eventId);
  }

  async replayEventsAfter(
    lastEventId: EventId,
    { send }: { send: (eventId: EventId, message: JSONRPCMessage) => Promise<void> },
  ): Promise<StreamId> {
    const streamId = this.events.get(lastEventId)?.streamId ?? streamOf(lastEventId);
    if (streamId === undefined) throw new Error(`unknown event id ${lastEventId}`);
    const after = sequenceOf(lastEventId);
    for (const [eventId, event] of this.events) {
      if (event.streamId === streamId && sequenceOf(eventId) > after) await send(eventId, event.message);
    }
    return streamId;
  }
}

function streamOf(eventId: EventId): StreamId | undefined {
  const separator = eventId.lastIndexOf(':');
  return separator > 0 ? eventId.slice(0, separator) : undefined;
}

function sequenceOf(eventId: EventId): number {
  return Number(eventId.slice(eventId.lastIndexOf(':') + 1));
}
