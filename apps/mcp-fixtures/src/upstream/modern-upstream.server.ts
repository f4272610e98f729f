import { createServer, type ServerResponse } from 'node:http';
import { acceptedContent, createMcpHandler, inputRequired, McpServer } from '@modelcontextprotocol/server';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { z } from 'zod';

/**
 * A 2026-07-28 upstream (v2 SDK, `createMcpHandler`: modern requests, and 2025-era requests
 * served statelessly) for the router's integration tests, on loopback. `confirm` answers with an
 * `input_required` result (an elicitation and a request state) until the retry carries the
 * answer; `change-tools` announces a tool list change to subscriptions/listen streams.
 * GET /control/stats reads what it saw.
 *
 * Run: node -r @swc-node/register apps/mcp-fixtures/src/upstream/modern-upstream.server.ts
 * (PORT, default 0 = any). Prints "listening <port>" when ready.
 */
const stats = {
  slowStarted: 0,
  cancelled: 0,
  rounds: [] as Array<{ requestState: unknown; answered: boolean }>,
};

function text(value: unknown): { content: Array<{ type: 'text'; text: string }> } {
  return { content: [{ type: 'text', text: typeof value === 'string' ? value : JSON.stringify(value) }] };
}

const handler = createMcpHandler(({ era }) => {
  const server = new McpServer(
    { name: 'modern-upstream-fixture', version: '1.0.0' },
    { capabilities: { tools: {} } },
  );

  server.registerTool('echo', { inputSchema: z.object({ text: z.string() }) }, ({ text: value }) =>
    text(`${era}:${value}`),
  );

  server.registerTool('change-tools', {}, () => {
    setTimeout(() => handler.notify.toolsChanged(), 50);
    return text('will change');
  });

  server.registerTool('whoami', {}, (context) =>
    text({ era, envelope: context.mcpReq.envelope ?? null, meta: context.mcpReq._meta ?? null }),
  );

  server.registerTool('confirm', { inputSchema: z.object({ action: z.string() }) }, ({ action }, context) => {
    const answer = acceptedContent(context.mcpReq.inputResponses, 'confirmation');
    const requestState = context.mcpReq.requestState();
    stats.rounds.push({ requestState: requestState ?? null, answered: answer !== undefined });
    if (!answer) {
      return inputRequired({
        inputRequests: {
          confirmation: inputRequired.elicit({
            message: `Really ${action}?`,
            requestedSchema: {
              type: 'object',
              properties: { sure: { type: 'boolean' } },
              required: ['sure'],
            },
          }),
        },
        requestState: `round-${stats.rounds.length}`,
      });
    }
    return text({ action, answer, requestState: requestState ?? null });
  });

  server.registerTool(
    'progress',
    { inputSchema: z.object({ steps: z.number().int() }) },
    async ({ steps }, context) => {
      const progressToken = context.mcpReq._meta?.progressToken;
      for (let step = 1; step <= steps; step += 1) {
        await new Promise((resolve) => setTimeout(resolve, 30));
        if (progressToken !== undefined) {
          await context.mcpReq.notify({
            method: 'notifications/progress',
            params: { progressToken, progress: step, total: steps },
          });
        }
      }
      return text({ progressToken: progressToken ?? null });
    },
  );

  server.registerTool(
    'slow',
    { inputSchema: z.object({ ms: z.number().int() }) },
    async ({ ms }, context) => {
      stats.slowStarted += 1;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        context.mcpReq.signal.addEventListener('abort', () => {
          clearTimeout(timer);
          stats.cancelled += 1;
          resolve();
        });
      });
      return text('slept');
    },
  );

  return server;
});

const mcp = toNodeHandler(handler);
const http = createServer((request, response: ServerResponse) => {
  if (request.url === '/control/stats') {
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(stats));
    return;
  }
  void mcp(request, response);
});

http.listen(Number(process.env['PORT'] ?? '0'), '127.0.0.1', () => {
  const address = http.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : 0}\n`);
});
