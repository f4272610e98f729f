import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { allEvents, allTopics } from './events';
import { jsonSchemaFileName, jsonSchemaFor } from './json-schema';
import { renderStreamsSection, withGeneratedSection } from './stream-contract';

// What the teams consuming the topics read: one JSON Schema per topic and the stream contract.
const contractsRoot = join(__dirname, '..');
const outputDir = join(contractsRoot, 'json-schema');
mkdirSync(outputDir, { recursive: true });
for (const definition of allEvents) {
  const file = join(outputDir, jsonSchemaFileName(definition));
  writeFileSync(file, `${JSON.stringify(jsonSchemaFor(definition), null, 2)}\n`);
  console.log(`wrote ${file}`);
}
const streams = join(contractsRoot, 'STREAMS.md');
writeFileSync(
  streams,
  withGeneratedSection(readFileSync(streams, 'utf8'), renderStreamsSection(allEvents, allTopics)),
);
console.log(`wrote ${streams}`);
