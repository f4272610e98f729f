import { z } from 'zod';
import type { EventDefinition } from './events';

/** The JSON Schema published for teams that consume a topic, generated from the event's schema. */
export function jsonSchemaFor(definition: EventDefinition<z.ZodType>): Record<string, unknown> {
  return {
    $id: `urn:mcp-gateway:event:${definition.topic.name}`,
    title: definition.topic.name,
    description: definition.description,
    'x-kafka-key': definition.topic.key,
    'x-schema-version': definition.version,
    'x-compacted': definition.topic.compacted,
    ...z.toJSONSchema(definition.schema, { target: 'draft-2020-12' }),
    examples: [definition.example],
  };
}

export function jsonSchemaFileName(definition: EventDefinition<z.ZodType>): string {
  return `${definition.topic.name}.schema.json`;
}
