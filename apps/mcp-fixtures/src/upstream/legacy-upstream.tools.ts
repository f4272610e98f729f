import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { CreateMessageResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';

/** What the fixture saw, read by tests through GET /control/stats. */
export interface LegacyUpstreamStats {
  /** JSON-RPC requests to tools/call, by tool name. */
  readonly calls: Record<string, number>;
  /** Request ids of tool calls that the client cancelled. */
  readonly cancelled: string[];
  /** Outcomes of requests the server sent outside any client request (answered or refused). */
  readonly unsolicited: Array<{ method: string; outcome: 'result' | 'error'; detail: string }>;
}

function text(value: unknown): { content: Array<{ type: 'text'; text: string }> } {
  return { content: [{ type: 'text', text: typeof value === 'string' ? value : JSON.stringify(value) }] };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new Error('cancelled'));
    });
  });
}

/**
 * One 2025-era MCP server instance per session, with tools that exercise what the gateway's
 * upstream layer must carry: progress, sampling, related logging, cancellation, unsolicited
 * notifications and server-to-client requests.
 */
export function createLegacyUpstreamServer(replica: string, stats: LegacyUpstreamStats): McpServer {
  const server = new McpServer(
    { name: 'legacy-upstream-fixture', version: '1.0.0' },
    { capabilities: { tools: { listChanged: true }, logging: {} } },
  );
  const count = (tool: string): void => {
    stats.calls[tool] = (stats.calls[tool] ?? 0) + 1;
  };

  server.registerTool('echo', { inputSchema: { text: z.string() } }, ({ text: value }) => {
    count('echo');
    return text(`${replica}:${value}`);
  });

  server.registerTool('whoami', {}, (extra) => {
    count('whoami');
    return text({
      replica,
      sessionId: extra.sessionId,
      clientInfo: server.server.getClientVersion(),
      clientCapabilities: server.server.getClientCapabilities(),
      authorization: extra.requestInfo?.headers['authorization'],
      tenant: extra.requestInfo?.headers['x-tenant'],
    });
  });

  server.registerTool(
    'progress',
    { inputSchema: { steps: z.number().int(), intervalMs: z.number().int() } },
    async ({ steps, intervalMs }, extra) => {
      count('progress');
      const progressToken = extra._meta?.progressToken;
      for (let step = 1; step <= steps; step += 1) {
        await sleep(intervalMs, extra.signal);
        if (progressToken !== undefined) {
          await extra.sendNotification({
            method: 'notifications/progress',
            params: { progressToken, progress: step, total: steps },
          });
        }
      }
      return text({ progressToken: progressToken ?? null });
    },
  );

  server.registerTool('sample', { inputSchema: { prompt: z.string() } }, async ({ prompt }, extra) => {
    count('sample');
    await extra.sendNotification({
      method: 'notifications/message',
      params: { level: 'info', data: `sampling for ${prompt}` },
    });
    const result = await extra.sendRequest(
      {
        method: 'sampling/createMessage',
        params: { messages: [{ role: 'user', content: { type: 'text', text: prompt } }], maxTokens: 10 },
      },
      CreateMessageResultSchema,
    );
    return text({ sampled: result.content });
  });

  server.registerTool('slow', { inputSchema: { ms: z.number().int() } }, async ({ ms }, extra) => {
    count('slow');
    try {
      await sleep(ms, extra.signal);
    } catch {
      stats.cancelled.push(String(extra.requestId));
    }
    return text('slept');
  });

  server.registerTool('change-tools', {}, () => {
    count('change-tools');
    setTimeout(() => server.sendToolListChanged(), 50);
    return text('will change');
  });

  server.registerTool('ask-roots-later', { inputSchema: { delayMs: z.number().int() } }, ({ delayMs }) => {
    count('ask-roots-later');
    setTimeout(() => {
      server.server.listRoots().then(
        (result) =>
          stats.unsolicited.push({ method: 'roots/list', outcome: 'result', detail: JSON.stringify(result) }),
        (error: Error) =>
          stats.unsolicited.push({ method: 'roots/list', outcome: 'error', detail: error.message }),
      );
    }, delayMs);
    return text('will ask');
  });

  return server;
}
