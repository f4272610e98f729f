import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';

/**
 * An MCP server over stdio for the end-to-end tests. Its one tool answers with the `_meta` of the
 * request that called it, so a test can see the trace context the gateway put there: an stdio
 * upstream has no HTTP headers, `_meta` is the only way a trace reaches it.
 */
const server = new McpServer({ name: 'trace-context-fixture', version: '1.0.0' });

server.registerTool(
  'request-meta',
  {
    description: 'Returns the _meta of the tools/call request as JSON text',
    annotations: { readOnlyHint: true, idempotentHint: true },
  },
  (extra) => ({ content: [{ type: 'text', text: JSON.stringify(extra._meta ?? {}) }] }),
);

void server.connect(new StdioServerTransport());
