import { parseArgs } from 'node:util';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { startConformanceHttpServer } from './conformance-http.server';
import { conformanceServerFactory } from './conformance-server.factory';
import { onTermination } from '../on-termination';

/**
 * The MCP server the official conformance suite (@modelcontextprotocol/conformance) is run
 * against, directly and through the gateway (tools/conformance/run.ts).
 *
 *   node -r @swc-node/register apps/mcp-fixtures/src/conformance/main.ts --port 0
 *     serves Streamable HTTP on 127.0.0.1 (0: any free port) and prints one line,
 *     "listening http://127.0.0.1:PORT/mcp", once it accepts connections.
 *   ... main.ts --stdio
 *     serves the same server over stdin/stdout.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { port: { type: 'string', default: '0' }, stdio: { type: 'boolean', default: false } },
  });
  if (values.stdio) {
    const connection = serveStdio(conformanceServerFactory(), {
      onerror: (error) => process.stderr.write(`conformance fixture: ${error.message}\n`),
    });
    onTermination(() => connection.close());
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port: expected a TCP port (0 for any free port), got "${values.port}"`);
  }
  const server = await startConformanceHttpServer(port);
  onTermination(() => server.close());
  process.stdout.write(`listening ${server.url}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`conformance fixture: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
