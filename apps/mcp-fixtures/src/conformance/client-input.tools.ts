import {
  inputRequired,
  inputResponse,
  type ElicitRequestFormParams,
  type McpServer,
} from '@modelcontextprotocol/server';
import { z } from 'zod';
import { textResult } from './content.tools';

type RequestedSchema = ElicitRequestFormParams['requestedSchema'];

/**
 * Tools that need input from the client: sampling and form elicitation. Each is written once as a
 * multi-round-trip handler (it returns `inputRequired` until the answer is in `inputResponses`):
 * on the 2026-07-28 wire the client fulfils the round trip; on a 2025-era session the SDK's
 * legacy shim sends the real server-to-client request and re-enters the handler, so the
 * tools-call-sampling / tools-call-elicitation / elicitation-sep* scenarios see classic requests.
 */
export function registerClientInputTools(server: McpServer): void {
  server.registerTool(
    'test_sampling',
    {
      description: 'Asks the client to sample an LLM with the given prompt',
      inputSchema: z.object({ prompt: z.string().describe('The prompt to send to the LLM') }),
    },
    ({ prompt }, ctx) => {
      const answer = inputResponse(ctx.mcpReq.inputResponses, 'completion');
      if (answer.kind !== 'sampling') {
        return inputRequired({
          inputRequests: {
            completion: inputRequired.createMessage({
              messages: [{ role: 'user', content: { type: 'text', text: prompt } }],
              maxTokens: 100,
            }),
          },
        });
      }
      const content = answer.result.content;
      const text =
        !Array.isArray(content) && content.type === 'text' ? content.text : JSON.stringify(content);
      return textResult(`LLM response: ${text}`);
    },
  );

  server.registerTool(
    'test_elicitation',
    {
      description: 'Asks the user for a username and an email address',
      inputSchema: z.object({ message: z.string().describe('The message to show the user') }),
    },
    ({ message }, ctx) =>
      elicitOnce(ctx.mcpReq.inputResponses, message, {
        type: 'object',
        properties: {
          username: { type: 'string', description: "User's response" },
          email: { type: 'string', description: "User's email address" },
        },
        required: ['username', 'email'],
      }),
  );

  server.registerTool(
    'test_elicitation_sep1034_defaults',
    { description: 'Elicits one field of every primitive type, each with a default (SEP-1034)' },
    (ctx) =>
      elicitOnce(ctx.mcpReq.inputResponses, 'Please review your profile', {
        type: 'object',
        properties: {
          name: { type: 'string', description: 'Full name', default: 'John Doe' },
          age: { type: 'integer', description: 'Age in years', default: 30 },
          score: { type: 'number', description: 'Score', default: 95.5 },
          status: {
            type: 'string',
            description: 'Account status',
            enum: ['active', 'inactive', 'pending'],
            default: 'active',
          },
          verified: { type: 'boolean', description: 'Verified account', default: true },
        },
      }),
  );

  server.registerTool(
    'test_elicitation_sep1330_enums',
    { description: 'Elicits the five enum schema variants of SEP-1330' },
    (ctx) =>
      elicitOnce(ctx.mcpReq.inputResponses, 'Please choose your options', {
        type: 'object',
        properties: {
          untitledSingle: { type: 'string', enum: ['option1', 'option2', 'option3'] },
          titledSingle: {
            type: 'string',
            oneOf: [
              { const: 'value1', title: 'First Option' },
              { const: 'value2', title: 'Second Option' },
              { const: 'value3', title: 'Third Option' },
            ],
          },
          legacyEnum: {
            type: 'string',
            enum: ['opt1', 'opt2', 'opt3'],
            enumNames: ['Option One', 'Option Two', 'Option Three'],
          },
          untitledMulti: {
            type: 'array',
            items: { type: 'string', enum: ['option1', 'option2', 'option3'] },
          },
          titledMulti: {
            type: 'array',
            items: {
              anyOf: [
                { const: 'value1', title: 'First Choice' },
                { const: 'value2', title: 'Second Choice' },
                { const: 'value3', title: 'Third Choice' },
              ],
            },
          },
        },
      }),
  );
}

/** Requests the form once; reports whatever the user answered (accept, decline or cancel). */
function elicitOnce(
  responses: Record<string, unknown> | undefined,
  message: string,
  requestedSchema: RequestedSchema,
) {
  const answer = inputResponse(responses, 'form');
  if (answer.kind !== 'elicit') {
    return inputRequired({ inputRequests: { form: inputRequired.elicit({ message, requestedSchema }) } });
  }
  return textResult(
    `Elicitation completed: action=${answer.action}, content=${JSON.stringify(answer.content ?? {})}`,
  );
}
