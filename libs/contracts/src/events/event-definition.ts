import { z } from 'zod';
import type { TopicSpec } from './topics';

/**
 * A Kafka event contract: the topic it travels on, its schema version, how its key is derived,
 * and an example that the contract tests round-trip through the schema.
 */
export interface EventDefinition<Schema extends z.ZodType> {
  readonly topic: TopicSpec;
  /** Bumped (with a new topic) only for breaking changes; additive fields keep the version. */
  readonly version: number;
  readonly schema: Schema;
  readonly key: (event: z.infer<Schema>) => string;
  readonly example: z.infer<Schema>;
  readonly description: string;
}

export function defineEvent<Schema extends z.ZodType>(
  definition: EventDefinition<Schema>,
): EventDefinition<Schema> {
  return definition;
}

export type EventOf<Definition> = Definition extends EventDefinition<infer Schema> ? z.infer<Schema> : never;

/** Header names carried on every event besides W3C trace context. */
export const EventHeaders = {
  schemaVersion: 'gateway-schema-version',
  eventType: 'gateway-event-type',
} as const;
