import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EverythingServer, repositoryRoot } from '@gateway/testing';
import {
  connectDownstream,
  type DownstreamConnection,
  downstreamTransports,
  modernProtocolVersion,
  toolResultText,
} from './downstream-client.factory';
import { EmbeddedGateway } from './embedded-gateway.fixture';

jest.setTimeout(30_000);

/** The servers of everything-three-transports.yaml, by the upstream transport the gateway uses. */
const upstreams = [
  { server: 'stdio', upstreamTransport: 'stdio' },
  { server: 'sse', upstreamTransport: 'sse' },
  { server: 'http', upstreamTransport: 'streamable-http' },
] as const;

const architectureUri = 'demo://resource/static/document/architecture.md';
const architectureText = readFileSync(
  join(repositoryRoot, 'node_modules/@modelcontextprotocol/server-everything/dist/docs/architecture.md'),
  'utf8',
);

describe('data plane: every downstream transport to every upstream transport', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'gateway-transports-'));
  let sseUpstream: EverythingServer | undefined;
  let httpUpstream: EverythingServer | undefined;
  let gateway: EmbeddedGateway | undefined;

  beforeAll(async () => {
    const started = await Promise.allSettled([
      EverythingServer.start('sse', workDir, { E2E_UPSTREAM: 'sse' }),
      EverythingServer.start('streamableHttp', workDir, { E2E_UPSTREAM: 'http' }),
    ]);
    // Whichever started is kept for afterAll to stop, even when the other did not.
    [sseUpstream, httpUpstream] = started.map((outcome) =>
      outcome.status === 'fulfilled' ? outcome.value : undefined,
    );
    const failure = started.find((outcome) => outcome.status === 'rejected');
    if (failure) throw failure.reason;
    if (!sseUpstream || !httpUpstream) throw new Error('an upstream did not start');
    gateway = await EmbeddedGateway.start({
      config: 'everything-three-transports.yaml',
      workDir: join(workDir, 'gateway'),
      upstreams: upstreams.map((upstream) => upstream.server),
      env: { EVERYTHING_SSE_URL: sseUpstream.url, EVERYTHING_HTTP_URL: httpUpstream.url },
    });
  }, 90_000);

  afterAll(async () => {
    await gateway?.stop();
    await Promise.all([sseUpstream?.stop(), httpUpstream?.stop()]);
  });

  describe.each(downstreamTransports)('downstream %s', (transport) => {
    let connection: DownstreamConnection;

    beforeAll(async () => {
      connection = await connectDownstream(transport, gateway!.baseUrl);
    });

    afterAll(async () => {
      await connection?.close();
    });

    it.each(upstreams)(
      'lists the tools of $server ($upstreamTransport) under prefixed names',
      async ({ server }) => {
        const { tools } = await connection.client.listTools();
        const names = tools.map((tool) => tool.name);
        expect(names).toEqual(
          expect.arrayContaining([
            `${server}_echo`,
            `${server}_get-sum`,
            `${server}_trigger-long-running-operation`,
          ]),
        );
        expect(names).not.toContain('echo');
        expect(tools.find((tool) => tool.name === `${server}_echo`)?.description).toBe(
          'Echoes back the input string',
        );
      },
    );

    it.each(upstreams)('calls echo of $server ($upstreamTransport)', async ({ server }) => {
      const message = `${transport} to ${server}`;
      const result = await connection.client.callTool({ name: `${server}_echo`, arguments: { message } });
      expect(result.isError).toBeFalsy();
      expect(result.content).toEqual([{ type: 'text', text: `Echo: ${message}` }]);
    });

    it.each(upstreams)(
      'reads a resource of $server ($upstreamTransport) by its gateway:// URI',
      async ({ server }) => {
        const exposedUri = `gateway://${server}/${architectureUri}`;
        const { contents } = await connection.client.readResource({ uri: exposedUri });
        expect(contents).toEqual([{ uri: exposedUri, mimeType: 'text/markdown', text: architectureText }]);
      },
    );

    it.each(upstreams)('gets a prompt of $server ($upstreamTransport) with arguments', async ({ server }) => {
      const { messages } = await connection.client.getPrompt({
        name: `${server}_args-prompt`,
        arguments: { city: 'Lisbon', state: 'Lisboa' },
      });
      expect(messages).toEqual([
        { role: 'user', content: { type: 'text', text: "What's weather in Lisbon, Lisboa?" } },
      ]);
    });

    it.each(upstreams)('completes prompt arguments of $server ($upstreamTransport)', async ({ server }) => {
      const ref = { type: 'ref/prompt' as const, name: `${server}_completable-prompt` };
      const department = await connection.client.complete({
        ref,
        argument: { name: 'department', value: 'Eng' },
      });
      expect(department.completion.values).toEqual(['Engineering']);
      const name = await connection.client.complete({
        ref,
        argument: { name: 'name', value: '' },
        context: { arguments: { department: 'Sales' } },
      });
      expect(name.completion.values).toEqual(['David', 'Eve', 'Frank']);
    });
  });

  it('speaks 2026-07-28 to the v2 client and a 2025 revision to the v1 Streamable HTTP client', async () => {
    const modern = await connectDownstream('streamable-http-2026', gateway!.baseUrl);
    const legacy = await connectDownstream('streamable-http-2025', gateway!.baseUrl);
    try {
      expect(modern.protocolVersion).toBe(modernProtocolVersion);
      expect(legacy.protocolVersion).toBe('2025-11-25');
    } finally {
      await Promise.all([modern.close(), legacy.close()]);
    }
  });

  it('exposes the clashing echo tools of the three servers under their prefixes, each reaching its own server', async () => {
    const connection = await connectDownstream('streamable-http-2025', gateway!.baseUrl);
    try {
      const { tools } = await connection.client.listTools();
      const echoes = tools.map((tool) => tool.name).filter((name) => name.endsWith('echo'));
      expect(echoes.sort()).toEqual(['http_echo', 'sse_echo', 'stdio_echo']);
      for (const { server } of upstreams) {
        const echoed = await connection.client.callTool({
          name: `${server}_echo`,
          arguments: { message: server },
        });
        expect(echoed.content).toEqual([{ type: 'text', text: `Echo: ${server}` }]);
        // Which process answered: each upstream's environment names it.
        const env = await connection.client.callTool({ name: `${server}_get-env`, arguments: {} });
        expect(JSON.parse(toolResultText(env))).toMatchObject({ E2E_UPSTREAM: server });
      }
    } finally {
      await connection.close();
    }
  });
});
