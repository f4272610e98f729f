import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { CallEvent, type CallEventValue } from '@gateway/contracts';
import { JsonRpcErrorCode } from '@gateway/mcp';
import { RoutedError } from '../router/router-gateway.service';
import { InProcessEventBus, parseEvent } from '@gateway/platform';
import { waitFor } from '@gateway/testing';
import { CallRecorder } from './call-recorder';
import { createGatewayServer } from './gateway-server';

describe('CallRecorder', () => {
  let bus: InProcessEventBus;
  let client: Client;
  const events: CallEventValue[] = [];

  beforeEach(async () => {
    events.length = 0;
    bus = new InProcessEventBus();
    await bus.ensureTopics([CallEvent.topic]);
    await bus.subscribe({ topic: CallEvent.topic.name, groupId: 'spec' }, async (message) => {
      events.push(parseEvent(CallEvent, message));
    });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const recorder = new CallRecorder(
      { bus, instanceId: 'ingress-spec', identity: () => ({ tenant: 'default', principal: 'agent:spec' }) },
      () => 'session-1',
    );
    const server = createGatewayServer({
      served: (requestId, server, target) => recorder.annotate(requestId, server, target),
      forward: async ({ method, params }) => {
        if (method === 'tools/list') {
          return {
            kind: 'result',
            result: { tools: [{ name: 'echo', inputSchema: { type: 'object' } }] },
            server: '',
            target: '',
          };
        }
        if ((params as { name?: string }).name === 'divide') {
          return {
            kind: 'result',
            result: { isError: true, content: [{ type: 'text', text: 'division by zero' }] },
            server: 'calculator',
            target: 'divide',
          };
        }
        throw new RoutedError(
          JsonRpcErrorCode.upstreamUnavailable,
          'Upstream server "everything" is unavailable',
          undefined,
          'everything',
          'echo',
        );
      },
    });
    await server.connect(serverSide);
    recorder.attach(serverSide);
    client = new Client({ name: 'spec', version: '1.0.0' });
    await client.connect(clientSide);
  });

  afterEach(async () => {
    await client.close();
    await bus.close();
  });

  it('publishes one event per handled message, including the ones the SDK answers itself', async () => {
    await client.listTools();
    await expect(client.callTool({ name: 'echo', arguments: {} })).rejects.toThrow(/-32010/);
    await waitFor(() => events.length >= 4, { description: 'four call events' });

    expect(events.map((event) => event.method)).toEqual([
      'initialize',
      'notifications/initialized',
      'tools/list',
      'tools/call',
    ]);
    expect(
      events.every((event) => event.sessionId === 'session-1' && event.ingressInstance === 'ingress-spec'),
    ).toBe(true);
    expect(events[2]).toMatchObject({ outcome: 'ok', decision: 'allow' });
    expect(events[2]!.server).toBeUndefined();
    expect(events[3]).toMatchObject({
      outcome: 'error',
      errorCode: JsonRpcErrorCode.upstreamUnavailable,
      errorMessage: 'Upstream server "everything" is unavailable',
      server: 'everything',
      target: 'echo',
    });
    expect(events[3]!.requestBytes).toBeGreaterThan(0);
    expect(events[3]!.responseBytes).toBeGreaterThan(0);
  });

  it('records a tool result flagged isError as a failed call, with the tool’s own message', async () => {
    const result = await client.callTool({ name: 'divide', arguments: { a: 1, b: 0 } });
    expect(result.isError).toBe(true);
    await waitFor(() => events.some((event) => event.method === 'tools/call'), {
      description: 'the tools/call event',
    });
    const call = events.find((event) => event.method === 'tools/call');
    expect(call).toMatchObject({ outcome: 'error', errorMessage: 'division by zero', target: 'divide' });
    expect(call!.errorCode).toBeUndefined();
  });
});
