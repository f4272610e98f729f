import { type EventDefinition } from '@gateway/contracts';
import { type EventBus, parseStateRecord, type Subscription } from '@gateway/platform';
import type { z } from 'zod';

/**
 * Follows a compacted state topic from its beginning with a consumer group of this process's
 * own, so every replica sees every record (not a share of them), and hands each record or
 * tombstone to the owner's map.
 */
export async function followStateTopic<Schema extends z.ZodType>(
  bus: EventBus,
  definition: EventDefinition<Schema>,
  groupId: string,
  apply: (key: string, record: z.infer<Schema> | null) => void,
): Promise<Subscription> {
  return bus.subscribe({ topic: definition.topic.name, groupId, fromBeginning: true }, async (message) => {
    apply(message.key, parseStateRecord(definition, message));
  });
}
