import { type EventDefinition, EventHeaders } from '@gateway/contracts';
import { z } from 'zod';
import type { EventBus, IncomingMessage } from './event-bus';

/**
 * An event that does not match its contract. On publish it is a programming error in the
 * producer (thrown at the call site, never sent); on consume it names the offending producer's
 * topic so the consumer can log and skip it instead of retrying a message that can never pass.
 */
export class InvalidEventError extends Error {
  override readonly name = 'InvalidEventError';

  constructor(
    readonly topic: string,
    readonly issues: readonly z.core.$ZodIssue[],
    detail: string,
  ) {
    super(`Invalid event for topic ${topic}: ${detail}`);
  }
}

/**
 * A handler failure that no redelivery can cure: the message breaks its contract. Both bus
 * adapters log such a message and move past it instead of retrying it forever, which would stop
 * every later message of its partition.
 */
export function isUnprocessable(error: unknown): boolean {
  return error instanceof InvalidEventError;
}

function validate<Schema extends z.ZodType>(
  definition: EventDefinition<Schema>,
  value: unknown,
): z.infer<Schema> {
  const result = definition.schema.safeParse(value);
  if (!result.success) {
    throw new InvalidEventError(definition.topic.name, result.error.issues, z.prettifyError(result.error));
  }
  return result.data;
}

/**
 * Validates an event against its contract, derives its key and publishes it with the contract
 * headers. Like EventBus.publish it never waits on or throws for the broker; it throws
 * InvalidEventError when the value breaks the contract.
 */
export function publishEvent<Schema extends z.ZodType>(
  bus: EventBus,
  definition: EventDefinition<Schema>,
  value: z.infer<Schema>,
  headers: Readonly<Record<string, string>> = {},
): void {
  // The parsed value, not the input, goes on the wire: unknown keys are stripped by the schema.
  const event = validate(definition, value);
  bus.publish({
    topic: definition.topic.name,
    key: definition.key(event),
    value: event,
    headers: {
      ...headers,
      [EventHeaders.schemaVersion]: String(definition.version),
      [EventHeaders.eventType]: definition.topic.name,
    },
  });
}

/** Publishes a tombstone: on a compacted topic it removes the record with this key. */
export function publishTombstone(
  bus: EventBus,
  definition: EventDefinition<z.ZodType>,
  key: string,
  headers: Readonly<Record<string, string>> = {},
): void {
  if (!definition.topic.compacted) {
    throw new InvalidEventError(definition.topic.name, [], 'tombstones only make sense on compacted topics');
  }
  bus.publish({
    topic: definition.topic.name,
    key,
    value: null,
    headers: {
      ...headers,
      [EventHeaders.schemaVersion]: String(definition.version),
      [EventHeaders.eventType]: definition.topic.name,
    },
  });
}

function checkTopic(definition: EventDefinition<z.ZodType>, message: IncomingMessage): void {
  if (message.topic !== definition.topic.name) {
    throw new InvalidEventError(definition.topic.name, [], `message came from topic ${message.topic}`);
  }
}

/** The typed value of a consumed event; throws InvalidEventError for anything else, tombstones included. */
export function parseEvent<Schema extends z.ZodType>(
  definition: EventDefinition<Schema>,
  message: IncomingMessage,
): z.infer<Schema> {
  checkTopic(definition, message);
  if (message.value === null) {
    throw new InvalidEventError(definition.topic.name, [], `unexpected tombstone for key ${message.key}`);
  }
  return validate(definition, message.value);
}

/** For compacted (state) topics: the typed record, or null for a tombstone (the key was removed). */
export function parseStateRecord<Schema extends z.ZodType>(
  definition: EventDefinition<Schema>,
  message: IncomingMessage,
): z.infer<Schema> | null {
  checkTopic(definition, message);
  return message.value === null ? null : validate(definition, message.value);
}
