import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { jsonSchemaFileName, jsonSchemaFor } from '../json-schema';
import { allEvents } from './all-events';
import { allTopics } from './topics';

describe.each(allEvents.map((definition) => [definition.topic.name, definition] as const))(
  'event contract %s',
  (_topic, definition) => {
    it('round-trips its example through JSON and the schema unchanged', () => {
      const wire = JSON.parse(JSON.stringify(definition.example)) as unknown;
      expect(definition.schema.parse(wire)).toEqual(definition.example);
    });

    it('derives a non-empty key from its example', () => {
      expect(definition.key(definition.example as never)).toMatch(/.+/);
    });

    it('rejects a value missing its required fields', () => {
      expect(definition.schema.safeParse({}).success).toBe(false);
    });

    it('has a published JSON Schema identical to the one generated from the code', () => {
      const published = readFileSync(
        join(__dirname, '..', '..', 'json-schema', jsonSchemaFileName(definition)),
        'utf8',
      );
      expect(JSON.parse(published)).toEqual(jsonSchemaFor(definition));
    });
  },
);

it('has exactly one event contract per topic', () => {
  const topicsWithEvents = allEvents.map((definition) => definition.topic.name).sort();
  expect(topicsWithEvents).toEqual(allTopics.map((topic) => topic.name).sort());
});
