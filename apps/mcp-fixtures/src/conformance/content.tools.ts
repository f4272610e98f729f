import type { CallToolResult, McpServer, ServerContext } from '@modelcontextprotocol/server';
import { redPixelPngBase64, silentWavBase64 } from './sample-media';

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Tools whose results exercise every content type, tool errors, and the notifications a tool may
 * send while it runs (logging, progress). Each answers exactly what its conformance scenario
 * (tools-call-*) expects.
 */
export function registerContentTools(server: McpServer): void {
  server.registerTool('test_simple_text', { description: 'Returns one text content block' }, () => ({
    content: [{ type: 'text', text: 'This is a simple text response for testing.' }],
  }));

  server.registerTool('test_image_content', { description: 'Returns a 1x1 PNG image' }, () => ({
    content: [{ type: 'image', data: redPixelPngBase64, mimeType: 'image/png' }],
  }));

  server.registerTool('test_audio_content', { description: 'Returns a short silent WAV clip' }, () => ({
    content: [{ type: 'audio', data: silentWavBase64, mimeType: 'audio/wav' }],
  }));

  server.registerTool('test_embedded_resource', { description: 'Returns an embedded text resource' }, () => ({
    content: [
      {
        type: 'resource',
        resource: {
          uri: 'test://embedded-resource',
          mimeType: 'text/plain',
          text: 'This is an embedded resource content.',
        },
      },
    ],
  }));

  server.registerTool(
    'test_multiple_content_types',
    { description: 'Returns text, image and embedded resource content together' },
    () => ({
      content: [
        { type: 'text', text: 'Multiple content types test:' },
        { type: 'image', data: redPixelPngBase64, mimeType: 'image/png' },
        {
          type: 'resource',
          resource: {
            uri: 'test://mixed-content-resource',
            mimeType: 'application/json',
            text: JSON.stringify({ test: 'data', value: 123 }),
          },
        },
      ],
    }),
  );

  server.registerTool(
    'test_error_handling',
    { description: 'Always fails with a tool error (isError: true)' },
    () => ({
      isError: true,
      content: [{ type: 'text', text: 'This tool intentionally returns an error for testing' }],
    }),
  );

  server.registerTool(
    'test_tool_with_logging',
    { description: 'Sends three info log messages while it runs' },
    async (ctx) => {
      await sendLog(ctx, 'Tool execution started');
      await delay(50);
      await sendLog(ctx, 'Tool processing data');
      await delay(50);
      await sendLog(ctx, 'Tool execution completed');
      return { content: [{ type: 'text', text: 'Logging tool completed: 3 messages sent' }] };
    },
  );

  server.registerTool(
    'test_tool_with_progress',
    { description: 'Reports progress 0, 50 and 100 of 100 when given a progress token' },
    async (ctx) => {
      const progressToken = ctx.mcpReq._meta?.progressToken;
      for (const progress of [0, 50, 100]) {
        if (progressToken !== undefined) {
          await ctx.mcpReq.notify({
            method: 'notifications/progress',
            params: { progressToken, progress, total: 100, message: `step ${progress}` },
          });
        }
        if (progress < 100) await delay(50);
      }
      return { content: [{ type: 'text', text: 'Progress tool completed: 0, 50, 100 of 100' }] };
    },
  );
}

/**
 * Logging is deprecated from 2026-07-28 (SEP-2577) but still served: the SDK sends the message only
 * when the client asked for logs (logging/setLevel, or `_meta` logLevel on the 2026 wire).
 */
export function sendLog(ctx: ServerContext, message: string): Promise<void> {
  return ctx.mcpReq.log('info', message, 'conformance-fixture');
}

export function textResult(text: string): CallToolResult {
  return { content: [{ type: 'text', text }] };
}
