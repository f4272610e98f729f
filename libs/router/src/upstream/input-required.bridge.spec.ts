import { JsonRpcErrorCode } from '@gateway/mcp';
import { resolveInputRequired } from './input-required.bridge';
import type { UpstreamMessage } from './upstream-session';

const elicit = { method: 'elicitation/create', params: { message: 'Sure?' } };

describe('resolveInputRequired', () => {
  it('asks the caller for each embedded request and retries with the answers and the state, verbatim', async () => {
    const asked: UpstreamMessage[] = [];
    const retries: Array<Record<string, unknown>> = [];
    const result = await resolveInputRequired(
      { resultType: 'input_required', inputRequests: { confirm: elicit }, requestState: 'opaque==' },
      {
        server: 'srv',
        method: 'tools/call',
        params: { name: 'deploy' },
        hooks: {
          onNotification: () => undefined,
          onRequest: async (request) => {
            asked.push(request);
            return { action: 'accept', content: { sure: true } };
          },
        },
        maxRounds: 3,
        retry: async (params) => {
          retries.push(params);
          return { content: [] };
        },
      },
    );
    expect(result).toEqual({ content: [] });
    expect(asked).toEqual([elicit]);
    expect(retries).toEqual([
      {
        name: 'deploy',
        inputResponses: { confirm: { action: 'accept', content: { sure: true } } },
        requestState: 'opaque==',
      },
    ]);
  });

  it('gives up after the bound on rounds', async () => {
    const stillRequired = { resultType: 'input_required', requestState: 'again' };
    await expect(
      resolveInputRequired(stillRequired, {
        server: 'srv',
        method: 'tools/call',
        params: {},
        hooks: undefined,
        maxRounds: 2,
        retry: async () => stillRequired,
      }),
    ).rejects.toMatchObject({
      code: JsonRpcErrorCode.internalError,
      message: 'Upstream server "srv" still required input for tools/call after 2 rounds',
    });
  });

  it('fails clearly when the upstream needs input and the request has no way to ask', async () => {
    await expect(
      resolveInputRequired(
        { resultType: 'input_required', inputRequests: { confirm: elicit } },
        { server: 'srv', method: 'tools/call', params: {}, hooks: undefined, maxRounds: 2, retry: jest.fn() },
      ),
    ).rejects.toThrow('needs client input for tools/call');
  });
});
