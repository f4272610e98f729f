import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allEvents, allTopics } from './events';
import {
  generatedTableEnd,
  generatedTableStart,
  renderStreamsSection,
  withGeneratedSection,
} from './stream-contract';

const document = readFileSync(join(__dirname, '..', 'STREAMS.md'), 'utf8');

describe('STREAMS.md, the stream contract for consuming teams', () => {
  it('shows every topic as the contracts define it (run `nx run contracts:json-schema` after a change)', () => {
    expect(document).toBe(withGeneratedSection(document, renderStreamsSection(allEvents, allTopics)));
  });

  it('names every topic, its key and its JSON Schema file', () => {
    const section = document.slice(
      document.indexOf(generatedTableStart),
      document.indexOf(generatedTableEnd),
    );
    for (const definition of allEvents) {
      expect(section).toContain(`| \`${definition.topic.name}\` | ${definition.topic.key} |`);
      expect(section).toContain(`(json-schema/${definition.topic.name}.schema.json)`);
    }
    expect(allTopics.map((topic) => topic.name).sort()).toEqual(
      allEvents.map((event) => event.topic.name).sort(),
    );
  });
});
