import {
  acceptedContent,
  CLIENT_CAPABILITIES_META_KEY,
  inputRequired,
  inputResponse,
  type ClientCapabilities,
  type InputRequests,
  type McpServer,
  type RequestStateCodec,
  type ServerContext,
} from '@modelcontextprotocol/server';
import { z } from 'zod';
import { textResult } from './content.tools';

/** What a multi-round-trip tool keeps in its (HMAC-sealed) requestState between rounds. */
export interface RoundState {
  readonly tool: string;
  readonly round: number;
}

export type RoundStateCodec = RequestStateCodec<RoundState>;

const nameForm = z.object({ name: z.string() });

const askName = inputRequired.elicit({
  message: 'What is your name?',
  requestedSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
});
const askConfirmation = inputRequired.elicit({
  message: 'Please confirm',
  requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] },
});

/**
 * The tools of the input-required-result-* scenarios (SEP-2322, multi-round trip). State that
 * crosses rounds is sealed by the codec; the SDK verifies it before the handler runs, so a
 * tampered requestState is answered -32602 without reaching these handlers.
 */
export function registerInputRequiredTools(server: McpServer, codec: RoundStateCodec): void {
  server.registerTool(
    'test_input_required_result_elicitation',
    { description: 'Asks for the user name by elicitation, then greets' },
    (ctx) => {
      const name = acceptedContent(ctx.mcpReq.inputResponses, 'user_name', nameForm)?.name;
      return name === undefined
        ? inputRequired({ inputRequests: { user_name: askName } })
        : textResult(`Hello, ${name}!`);
    },
  );

  server.registerTool(
    'test_input_required_result_sampling',
    { description: 'Asks the client to sample an answer, then returns it' },
    (ctx) => {
      const answer = inputResponse(ctx.mcpReq.inputResponses, 'capital_question');
      if (answer.kind === 'sampling') return textResult(`Sampled: ${JSON.stringify(answer.result.content)}`);
      return inputRequired({
        inputRequests: {
          capital_question: inputRequired.createMessage({
            messages: [{ role: 'user', content: { type: 'text', text: 'What is the capital of France?' } }],
            maxTokens: 100,
          }),
        },
      });
    },
  );

  server.registerTool(
    'test_input_required_result_list_roots',
    { description: 'Asks the client for its roots, then lists them' },
    (ctx) => {
      const answer = inputResponse(ctx.mcpReq.inputResponses, 'client_roots');
      if (answer.kind === 'roots') {
        return textResult(`Roots: ${answer.roots.map((root) => root.uri).join(', ') || '(none)'}`);
      }
      return inputRequired({ inputRequests: { client_roots: inputRequired.listRoots() } });
    },
  );

  for (const tool of [
    'test_input_required_result_request_state',
    'test_input_required_result_tampered_state',
  ]) {
    server.registerTool(
      tool,
      { description: 'Asks for confirmation and carries sealed requestState to the next round' },
      async (ctx) => {
        const confirmed = inputResponse(ctx.mcpReq.inputResponses, 'confirm').kind === 'elicit';
        if (confirmed && isRound(ctx, tool, 1)) return textResult('Confirmed: state-ok');
        return inputRequired({
          inputRequests: { confirm: askConfirmation },
          requestState: await codec.mint({ tool, round: 1 }),
        });
      },
    );
  }

  server.registerTool(
    'test_input_required_result_multiple_inputs',
    { description: 'Asks for an elicitation, a sampling and the roots in one round' },
    async (ctx) => {
      const tool = 'test_input_required_result_multiple_inputs';
      const wanted: InputRequests = {
        user_name: askName,
        greeting: inputRequired.createMessage({
          messages: [{ role: 'user', content: { type: 'text', text: 'Generate a greeting' } }],
          maxTokens: 50,
        }),
        client_roots: inputRequired.listRoots(),
      };
      const missing = Object.entries(wanted).filter(
        ([key]) => inputResponse(ctx.mcpReq.inputResponses, key).kind === 'missing',
      );
      if (missing.length === 0 && isRound(ctx, tool, 1)) return textResult('All three inputs received');
      return inputRequired({
        inputRequests: Object.fromEntries(isRound(ctx, tool, 1) ? missing : Object.entries(wanted)),
        requestState: await codec.mint({ tool, round: 1 }),
      });
    },
  );

  server.registerTool(
    'test_input_required_result_multi_round',
    { description: 'Asks for a name, then a colour, in two rounds with evolving requestState' },
    async (ctx) => {
      const tool = 'test_input_required_result_multi_round';
      const name = acceptedContent(ctx.mcpReq.inputResponses, 'step1', nameForm)?.name;
      const colour = acceptedContent(
        ctx.mcpReq.inputResponses,
        'step2',
        z.object({ color: z.string() }),
      )?.color;
      if (isRound(ctx, tool, 2) && colour !== undefined) return textResult(`Favourite colour: ${colour}`);
      if ((isRound(ctx, tool, 1) && name !== undefined) || isRound(ctx, tool, 2)) {
        return inputRequired({
          inputRequests: {
            step2: inputRequired.elicit({
              message: 'Step 2: What is your favorite color?',
              requestedSchema: {
                type: 'object',
                properties: { color: { type: 'string' } },
                required: ['color'],
              },
            }),
          },
          requestState: await codec.mint({ tool, round: 2 }),
        });
      }
      return inputRequired({
        inputRequests: {
          step1: inputRequired.elicit({
            message: 'Step 1: What is your name?',
            requestedSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
          }),
        },
        requestState: await codec.mint({ tool, round: 1 }),
      });
    },
  );

  server.registerTool(
    'test_input_required_result_capabilities',
    { description: 'Asks only for the kinds of input the client declared it can give' },
    (ctx) => {
      if (Object.keys(ctx.mcpReq.inputResponses ?? {}).length > 0) return textResult('Inputs received');
      const capabilities = declaredCapabilities(server, ctx);
      const requests: InputRequests = {};
      if (capabilities.elicitation) requests['user_name'] = askName;
      if (capabilities.sampling) {
        requests['greeting'] = inputRequired.createMessage({
          messages: [{ role: 'user', content: { type: 'text', text: 'Generate a greeting' } }],
          maxTokens: 50,
        });
      }
      if (capabilities.roots) requests['client_roots'] = inputRequired.listRoots();
      return Object.keys(requests).length === 0
        ? textResult('The client declared no capability to answer input requests')
        : inputRequired({ inputRequests: requests });
    },
  );
}

function isRound(ctx: ServerContext, tool: string, round: number): boolean {
  const state = ctx.mcpReq.requestState<RoundState>();
  return state?.tool === tool && state.round === round;
}

/** The request's own envelope on the 2026-07-28 wire; what `initialize` declared on a 2025 session. */
function declaredCapabilities(server: McpServer, ctx: ServerContext): ClientCapabilities {
  const envelope: Record<string, unknown> = ctx.mcpReq.envelope ?? {};
  const fromEnvelope = envelope[CLIENT_CAPABILITIES_META_KEY] as ClientCapabilities | undefined;
  return fromEnvelope ?? server.server.getClientCapabilities() ?? {};
}
