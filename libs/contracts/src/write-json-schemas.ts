import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { allEvents } from './events';
import { jsonSchemaFileName, jsonSchemaFor } from './json-schema';

const outputDir = join(__dirname, '..', 'json-schema');
mkdirSync(outputDir, { recursive: true });
for (const definition of allEvents) {
  const file = join(outputDir, jsonSchemaFileName(definition));
  writeFileSync(file, `${JSON.stringify(jsonSchemaFor(definition), null, 2)}\n`);
  console.log(`wrote ${file}`);
}
