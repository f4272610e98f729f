import {
  fromJsonSchema,
  inputRequired,
  inputResponse,
  type McpRequestContext,
  type McpServer,
  type ServerEventBus,
} from '@modelcontextprotocol/server';
import { sendLog, textResult } from './content.tools';

export interface DiagnosticToolOptions {
  readonly era: McpRequestContext['era'];
  /**
   * The change-event bus of the HTTP entry: on the 2026-07-28 wire there is no session to notify,
   * list changes go to the open subscriptions/listen streams through it. Absent over stdio, where
   * the entry routes the instance's own notifications to the connection's subscriptions.
   */
  readonly events?: ServerEventBus;
}

/**
 * Hooks the server-stateless, server-sse-polling, json-schema-2020-12 and http-custom-header-*
 * scenarios probe: tools that need an undeclared capability, emit logs, change the lists, close
 * their SSE stream, or carry unusual input schemas.
 */
export function registerDiagnosticTools(server: McpServer, options: DiagnosticToolOptions): void {
  server.registerTool(
    'test_missing_capability',
    { description: 'Needs the sampling capability; fails with -32021 when the client did not declare it' },
    // The SDK checks every input request against the capabilities the request declares and answers
    // -32021 (HTTP 400) itself; a thrown error would become an isError tool result instead.
    (ctx) => {
      if (inputResponse(ctx.mcpReq.inputResponses, 'completion').kind === 'sampling') {
        return textResult('Sampling capability used');
      }
      return inputRequired({
        inputRequests: {
          completion: inputRequired.createMessage({
            messages: [{ role: 'user', content: { type: 'text', text: 'Say hello' } }],
            maxTokens: 20,
          }),
        },
      });
    },
  );

  server.registerTool(
    'test_streaming_elicitation',
    { description: 'Asks for input by returning an input-required result, never by a request on the stream' },
    (ctx) => {
      const answer = inputResponse(ctx.mcpReq.inputResponses, 'confirm');
      if (answer.kind === 'elicit') return textResult(`Elicitation answered: ${answer.action}`);
      return inputRequired({
        inputRequests: {
          confirm: inputRequired.elicit({
            message: 'Continue?',
            requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } } },
          }),
        },
      });
    },
  );

  server.registerTool(
    'test_logging_tool',
    { description: 'Logs one info message; the SDK drops it unless the client asked for logs' },
    async (ctx) => {
      await sendLog(ctx, 'test_logging_tool ran');
      return textResult('Logged one message');
    },
  );

  server.registerTool(
    'test_trigger_tool_change',
    { description: 'Announces that the tool list changed' },
    async () => {
      if (options.era === 'modern' && options.events) options.events.publish({ kind: 'tools_list_changed' });
      else await server.server.sendToolListChanged();
      return textResult('tools/list_changed sent');
    },
  );

  server.registerTool(
    'test_trigger_prompt_change',
    { description: 'Announces that the prompt list changed' },
    async () => {
      if (options.era === 'modern' && options.events)
        options.events.publish({ kind: 'prompts_list_changed' });
      else await server.server.sendPromptListChanged();
      return textResult('prompts/list_changed sent');
    },
  );

  server.registerTool(
    'test_reconnection',
    {
      description: 'Closes its SSE stream before answering; the client resumes with Last-Event-ID (SEP-1699)',
    },
    async (ctx) => {
      ctx.http?.closeSSE?.();
      await new Promise((resolve) => setTimeout(resolve, 100));
      return textResult('Answered after the stream was closed');
    },
  );

  server.registerTool(
    'json_schema_2020_12_tool',
    {
      description: 'Tool with JSON Schema 2020-12 features',
      inputSchema: fromJsonSchema(jsonSchema202012),
    },
    () => textResult('JSON Schema 2020-12 input accepted'),
  );

  server.registerTool(
    'test_header_parameter',
    {
      description: 'Takes an argument the client also sends as a header; the SDK checks they match',
      inputSchema: fromJsonSchema<{ region: string }>(headerParameterSchema),
    },
    ({ region }) => textResult(`Region: ${region}`),
  );
}

/** A string argument mirrored into the `Mcp-Param-Region` request header (SEP-2243). */
const headerParameterSchema = {
  type: 'object',
  properties: { region: { type: 'string', description: 'Region to query', 'x-mcp-header': 'Region' } },
  required: ['region'],
} as const;

/** Every keyword the json-schema-2020-12 scenario checks survives into tools/list (SEP-1613, SEP-2106). */
const jsonSchema202012 = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  $defs: {
    address: {
      $anchor: 'addressDef',
      type: 'object',
      properties: { street: { type: 'string' }, city: { type: 'string' } },
    },
  },
  properties: {
    name: { type: 'string' },
    address: { $ref: '#/$defs/address' },
    contactMethod: { type: 'string', enum: ['phone', 'email'] },
    phone: { type: 'string' },
    email: { type: 'string' },
  },
  allOf: [{ anyOf: [{ required: ['phone'] }, { required: ['email'] }] }],
  if: { properties: { contactMethod: { const: 'phone' } }, required: ['contactMethod'] },
  then: { required: ['phone'] },
  else: { required: ['email'] },
  additionalProperties: false,
} as const;
