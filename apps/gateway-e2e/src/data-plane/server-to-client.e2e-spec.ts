import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client as ModernClient } from '@modelcontextprotocol/client';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  type CreateMessageRequest,
  CreateMessageRequestSchema,
  type ElicitRequest,
  ElicitRequestSchema,
  type LoggingMessageNotification,
  LoggingMessageNotificationSchema,
  type Progress,
  ResourceUpdatedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { EverythingServer, waitFor } from '@gateway/testing';
import {
  connectLegacyClient,
  connectModernClient,
  modernProtocolVersion,
  toolResultText,
} from './downstream-client.factory';
import { EmbeddedGateway } from './embedded-gateway.fixture';
import {
  inSession,
  jsonRpc,
  jsonRpcNotification,
  openRawSession,
  sendRaw,
  streamRaw,
} from './raw-mcp-request';

jest.setTimeout(30_000);

/** The servers of everything-stdio-and-http.yaml: one shared upstream session, one per client. */
const upstreams = [
  { server: 'stdio', sessions: 'shared' },
  { server: 'http', sessions: 'per-client' },
] as const;

const samplingPrompt = 'What is the capital of France?';
const samplingAnswer = 'Paris, answered by the e2e client';
const elicitedContent = { name: 'Ada Lovelace', check: true, integer: 7 };

function samplingResult(model: string) {
  return {
    model,
    role: 'assistant' as const,
    content: { type: 'text' as const, text: samplingAnswer },
    stopReason: 'endTurn',
  };
}

describe('data plane: server-to-client traffic through the gateway', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'gateway-server-to-client-'));
  let httpUpstream: EverythingServer | undefined;
  let gateway: EmbeddedGateway | undefined;

  beforeAll(async () => {
    httpUpstream = await EverythingServer.start('streamableHttp', workDir);
    gateway = await EmbeddedGateway.start({
      config: 'everything-stdio-and-http.yaml',
      workDir: join(workDir, 'gateway'),
      upstreams: upstreams.map((upstream) => upstream.server),
      env: { EVERYTHING_HTTP_URL: httpUpstream.url },
    });
  }, 90_000);

  afterAll(async () => {
    await gateway?.stop();
    await httpUpstream?.stop();
  });

  describe.each(upstreams)(
    '2025-era client (v1 SDK, Streamable HTTP session), $server upstream ($sessions)',
    ({ server }) => {
      const samplingRequests: CreateMessageRequest['params'][] = [];
      const elicitationRequests: ElicitRequest['params'][] = [];
      const updatedUris: string[] = [];
      const logMessages: LoggingMessageNotification['params'][] = [];
      let client: Client;
      let close: () => Promise<void>;

      beforeAll(async () => {
        ({ client, close } = await connectLegacyClient('streamable-http-2025', gateway!.baseUrl, {
          capabilities: { sampling: {}, elicitation: { form: {} } },
          configure: (created) => {
            created.setRequestHandler(CreateMessageRequestSchema, async (request) => {
              samplingRequests.push(request.params);
              return samplingResult('e2e-legacy-sampler');
            });
            created.setRequestHandler(ElicitRequestSchema, async (request) => {
              elicitationRequests.push(request.params);
              return { action: 'accept', content: elicitedContent };
            });
            created.setNotificationHandler(ResourceUpdatedNotificationSchema, async (notification) => {
              updatedUris.push(notification.params.uri);
            });
            created.setNotificationHandler(LoggingMessageNotificationSchema, async (notification) => {
              logMessages.push(notification.params);
            });
          },
        }));
      });

      afterAll(async () => {
        await close?.();
      });

      it('relays sampling/createMessage to the client and its answer back into the tool result', async () => {
        const result = await client.callTool({
          name: `${server}_trigger-sampling-request`,
          arguments: { prompt: samplingPrompt, maxTokens: 42 },
        });
        expect(samplingRequests).toHaveLength(1);
        expect(samplingRequests[0]).toMatchObject({
          maxTokens: 42,
          messages: [
            {
              role: 'user',
              content: { type: 'text', text: `Resource trigger-sampling-request context: ${samplingPrompt}` },
            },
          ],
        });
        const text = toolResultText(result);
        expect(text).toContain(`"text": "${samplingAnswer}"`);
        expect(text).toContain('"model": "e2e-legacy-sampler"');
      });

      it('relays a form-mode elicitation/create to the client and its answer back into the tool result', async () => {
        const result = await client.callTool({
          name: `${server}_trigger-elicitation-request`,
          arguments: {},
        });
        expect(elicitationRequests).toHaveLength(1);
        expect(elicitationRequests[0]).toMatchObject({
          message: 'Please provide inputs for the following fields:',
          requestedSchema: { type: 'object', required: ['name'] },
        });
        const text = toolResultText(result);
        expect(text).toContain('✅ User provided the requested information!');
        expect(text).toContain('- Name: Ada Lovelace');
        expect(text).toContain('- Agreed to terms: true');
        expect(text).toContain('- Favorite Integer: 7');
      });

      it('delivers every progress notification of a long-running tool to the caller', async () => {
        const progress: Progress[] = [];
        const result = await client.callTool(
          { name: `${server}_trigger-long-running-operation`, arguments: { duration: 2, steps: 4 } },
          undefined,
          { onprogress: (update) => progress.push(update), timeout: 20_000 },
        );
        expect(toolResultText(result)).toBe(
          'Long running operation completed. Duration: 2 seconds, Steps: 4.',
        );
        expect(progress.map(({ progress: done, total }) => ({ done, total }))).toEqual([
          { done: 1, total: 4 },
          { done: 2, total: 4 },
          { done: 3, total: 4 },
          { done: 4, total: 4 },
        ]);
      });

      it('ends a cancelled call at once and keeps serving the session', async () => {
        const abort = new AbortController();
        const progress: Progress[] = [];
        const call = client.callTool(
          { name: `${server}_trigger-long-running-operation`, arguments: { duration: 20, steps: 20 } },
          undefined,
          { signal: abort.signal, onprogress: (update) => progress.push(update), timeout: 25_000 },
        );
        const settled = call.then(
          () => 'resolved',
          (error: unknown) => error,
        );
        // The upstream is working on it once its first progress arrives.
        await waitFor(() => progress.length > 0, {
          timeoutMs: 10_000,
          description: 'the first progress notification',
        });
        const abortedAt = Date.now();
        abort.abort('the e2e test cancels');
        const outcome = await settled;
        expect(outcome).toBeInstanceOf(Error);
        expect(Date.now() - abortedAt).toBeLessThan(1_000);

        const echoed = await client.callTool(
          { name: `${server}_echo`, arguments: { message: 'after the cancellation' } },
          undefined,
          { timeout: 5_000 },
        );
        expect(echoed.content).toEqual([{ type: 'text', text: 'Echo: after the cancellation' }]);
      });

      it('ends the stream of a call cancelled with notifications/cancelled long before the operation would end', async () => {
        const mcpUrl = gateway!.mcpUrl;
        const sessionId = await openRawSession(mcpUrl);
        const call = streamRaw(mcpUrl, {
          headers: inSession(sessionId),
          body: jsonRpc(
            'tools/call',
            {
              name: `${server}_trigger-long-running-operation`,
              arguments: { duration: 20, steps: 20 },
              _meta: { progressToken: 'to-be-cancelled' },
            },
            21,
          ),
        });
        try {
          await waitFor(() => call.messages.some((message) => message.method === 'notifications/progress'), {
            timeoutMs: 10_000,
            description: `the first progress of the call (got: ${JSON.stringify(call.messages)})`,
          });
          const cancelled = await sendRaw(mcpUrl, {
            headers: inSession(sessionId),
            body: jsonRpcNotification('notifications/cancelled', {
              requestId: 21,
              reason: 'the e2e test cancels',
            }),
          });
          expect(cancelled.status).toBe(202);
          // The operation has 19 s to go: a stream still open after 5 s is one the gateway left hanging.
          await waitFor(() => call.ended, {
            timeoutMs: 5_000,
            description: `the gateway to end the cancelled call's stream (got: ${JSON.stringify(call.messages)})`,
          });
          expect(call.messages.some((message) => message.id === 21 && message.result !== undefined)).toBe(
            false,
          );
        } finally {
          call.close();
          await sendRaw(mcpUrl, { method: 'DELETE', headers: inSession(sessionId) });
        }
      });

      it('delivers notifications/resources/updated for a subscribed resource under its exposed URI', async () => {
        const exposedUri = `gateway://${server}/demo://resource/static/document/architecture.md`;
        await expect(client.subscribeResource({ uri: exposedUri })).resolves.toEqual({});
        const toggled = await client.callTool({ name: `${server}_toggle-subscriber-updates`, arguments: {} });
        try {
          expect(toolResultText(toggled)).toMatch(/^Started simulated resource updated notifications/);
          await waitFor(() => updatedUris.includes(exposedUri), {
            timeoutMs: 12_000,
            description: `notifications/resources/updated for ${exposedUri} (got: ${JSON.stringify(updatedUris)})`,
          });
          expect(updatedUris.every((uri) => uri === exposedUri)).toBe(true);
        } finally {
          await client.callTool({ name: `${server}_toggle-subscriber-updates`, arguments: {} });
          await client.unsubscribeResource({ uri: exposedUri });
        }
      });

      it('accepts logging/setLevel and delivers the log messages the upstream sends', async () => {
        await expect(client.setLoggingLevel('info')).resolves.toEqual({});
        const upstreamUri = 'demo://resource/static/document/features.md';
        await client.subscribeResource({ uri: `gateway://${server}/${upstreamUri}` });
        // server-everything logs every subscription at level info.
        const logged = await waitFor(
          () =>
            logMessages.find(
              (message) =>
                typeof message.data === 'string' &&
                message.data.startsWith(`Received Subscribe Resource request for URI: ${upstreamUri}`),
            ),
          {
            timeoutMs: 10_000,
            description: `the info log of the subscription (got: ${JSON.stringify(logMessages)})`,
          },
        );
        expect(logged.level).toBe('info');
        await client.unsubscribeResource({ uri: `gateway://${server}/${upstreamUri}` });
      });
    },
  );

  describe.each(upstreams)(
    '2026-07-28 client (v2 SDK, multi round-trip), $server upstream ($sessions)',
    ({ server }) => {
      const samplingMessages: unknown[] = [];
      const elicitationMessages: string[] = [];
      let client: ModernClient;
      let close: () => Promise<void>;

      beforeAll(async () => {
        ({ client, close } = await connectModernClient(gateway!.baseUrl, {
          capabilities: { sampling: {}, elicitation: { form: {} } },
          configure: (created) => {
            created.setRequestHandler('sampling/createMessage', async (request) => {
              samplingMessages.push(...request.params.messages);
              return samplingResult('e2e-modern-sampler');
            });
            created.setRequestHandler('elicitation/create', async (request) => {
              elicitationMessages.push(request.params.message);
              return { action: 'accept' as const, content: elicitedContent };
            });
          },
        }));
        expect(client.getNegotiatedProtocolVersion()).toBe(modernProtocolVersion);
      });

      afterAll(async () => {
        await close?.();
      });

      it("resolves the upstream's sampling request as input_required with the client's sampling handler", async () => {
        const result = await client.callTool({
          name: `${server}_trigger-sampling-request`,
          arguments: { prompt: samplingPrompt, maxTokens: 42 },
        });
        expect(samplingMessages).toEqual([
          {
            role: 'user',
            content: { type: 'text', text: `Resource trigger-sampling-request context: ${samplingPrompt}` },
          },
        ]);
        const text = toolResultText(result);
        expect(text).toContain(`"text": "${samplingAnswer}"`);
        expect(text).toContain('"model": "e2e-modern-sampler"');
      });

      it("resolves the upstream's elicitation request as input_required with the client's elicitation handler", async () => {
        const result = await client.callTool({
          name: `${server}_trigger-elicitation-request`,
          arguments: {},
        });
        expect(elicitationMessages).toEqual(['Please provide inputs for the following fields:']);
        const text = toolResultText(result);
        expect(text).toContain('- Name: Ada Lovelace');
        expect(text).toContain('- Agreed to terms: true');
      });
    },
  );
});
