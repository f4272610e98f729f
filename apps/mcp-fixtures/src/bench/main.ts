import { parseArgs } from 'node:util';
import { startBenchHttpServer } from './bench-http.server';
import { serveBenchStdio } from './bench-stdio.server';
import { onTermination } from '../on-termination';

/**
 * The fast upstream of `npm run bench` (tools/bench): a 2025-era MCP server that does as little
 * as the protocol allows, so that what is measured in front of it is the gateway.
 *
 *   node dist/apps/mcp-fixtures/src/bench/main.js --port 0 [--catalogs 20] [--catalog-tools 50]
 *     Streamable HTTP on 127.0.0.1 (0: any free port); prints "listening http://127.0.0.1:PORT".
 *   ... main.js --stdio
 *     the same echo and blob tools over stdin/stdout.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      stdio: { type: 'boolean', default: false },
      catalogs: { type: 'string', default: '20' },
      'catalog-tools': { type: 'string', default: '50' },
    },
  });
  if (values.stdio) {
    const connection = serveBenchStdio();
    onTermination(() => connection.close());
    return;
  }
  const server = await startBenchHttpServer({
    port: integer('--port', values.port, 0, 65535),
    catalogs: integer('--catalogs', values.catalogs, 0, 1000),
    catalogTools: integer('--catalog-tools', values['catalog-tools'], 0, 10_000),
  });
  onTermination(() => server.close());
  process.stdout.write(`listening ${server.url}\n`);
}

function integer(option: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${option}: expected an integer from ${min} to ${max}, got "${text}"`);
  }
  return value;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench fixture: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
