import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSession, SealedBox, sealSession } from '@gateway/mcp';
import { EmbeddedGateway } from './embedded-gateway.fixture';
import {
  inSession,
  jsonRpc,
  jsonRpcNotification,
  openRawSession,
  sendRaw,
  sessionProtocolVersion,
} from './raw-mcp-request';

jest.setTimeout(30_000);

const maxBodyBytes = 32 * 1024;

describe('data plane: HTTP statuses and JSON-RPC errors of /mcp', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'gateway-http-status-'));
  const sessionKey = randomBytes(32);
  let gateway: EmbeddedGateway | undefined;
  /** A second process with the same session key, its own port and data directory. */
  let replica: EmbeddedGateway | undefined;
  let mcpUrl: string;

  beforeAll(async () => {
    const start = (name: string) =>
      EmbeddedGateway.start({
        config: 'everything-stdio.yaml',
        workDir: join(workDir, name),
        upstreams: ['everything'],
        env: {
          INGRESS_SESSION_KEY: sessionKey.toString('hex'),
          INGRESS_MAX_BODY_BYTES: String(maxBodyBytes),
        },
      });
    const started = await Promise.allSettled([start('gateway-a'), start('gateway-b')]);
    [gateway, replica] = started.map((outcome) =>
      outcome.status === 'fulfilled' ? outcome.value : undefined,
    );
    const failure = started.find((outcome) => outcome.status === 'rejected');
    if (failure) throw failure.reason;
    mcpUrl = gateway!.mcpUrl;
  }, 90_000);

  afterAll(async () => {
    await Promise.all([gateway?.stop(), replica?.stop()]);
  });

  describe('origin and host checks (DNS rebinding)', () => {
    const initialize = jsonRpc('initialize', {
      protocolVersion: sessionProtocolVersion,
      capabilities: {},
      clientInfo: { name: 'browser-page', version: '1' },
    });

    it('refuses a request with a foreign Origin with 403 and opens no session', async () => {
      const response = await sendRaw(mcpUrl, {
        headers: { origin: 'http://evil.example.com' },
        body: initialize,
      });
      expect(response.status).toBe(403);
      expect(response.headers['mcp-session-id']).toBeUndefined();
    });

    it('serves the same request from a loopback Origin', async () => {
      const response = await sendRaw(mcpUrl, {
        headers: { origin: `http://127.0.0.1:${gateway!.port}` },
        body: initialize,
      });
      expect(response.status).toBe(200);
      expect(response.headers['mcp-session-id']).toEqual(expect.any(String));
    });

    it('refuses a request whose Host is not a loopback name with 403', async () => {
      const response = await sendRaw(mcpUrl, { headers: { host: 'evil.example.com' }, body: initialize });
      expect(response.status).toBe(403);
      expect(response.headers['mcp-session-id']).toBeUndefined();
    });
  });

  describe('sessions', () => {
    it('answers an unknown session id with 404 and a JSON-RPC error', async () => {
      const response = await sendRaw(mcpUrl, {
        headers: inSession('no-such-session'),
        body: jsonRpc('tools/list'),
      });
      expect(response.status).toBe(404);
      expect(response.messages).toEqual([
        expect.objectContaining({ jsonrpc: '2.0', error: expect.objectContaining({ code: -32001 }) }),
      ]);
    });

    it('answers a session deleted with DELETE with 404 from then on', async () => {
      const sessionId = await openRawSession(mcpUrl);
      const before = await sendRaw(mcpUrl, { headers: inSession(sessionId), body: jsonRpc('tools/list') });
      expect(before.status).toBe(200);
      const deleted = await sendRaw(mcpUrl, { method: 'DELETE', headers: inSession(sessionId) });
      expect(deleted.status).toBe(200);
      const after = await sendRaw(mcpUrl, {
        headers: inSession(sessionId),
        body: jsonRpc('tools/list', {}, 2),
      });
      expect(after.status).toBe(404);
      expect(after.messages[0]?.error?.code).toBe(-32001);
    });

    it('answers a session request with an unsupported MCP-Protocol-Version with 400', async () => {
      const sessionId = await openRawSession(mcpUrl);
      const response = await sendRaw(mcpUrl, {
        headers: inSession(sessionId, { 'mcp-protocol-version': '1999-01-01' }),
        body: jsonRpc('tools/list'),
      });
      expect(response.status).toBe(400);
      expect(response.messages[0]?.error).toEqual(expect.objectContaining({ code: expect.any(Number) }));
    });

    it('answers a POST without a session that is not initialize with 400', async () => {
      const response = await sendRaw(mcpUrl, {
        headers: { 'mcp-protocol-version': sessionProtocolVersion },
        body: jsonRpc('tools/list'),
      });
      expect(response.status).toBe(400);
      expect(response.messages[0]?.error?.message).toMatch(/session/i);
    });

    it('accepts a notification in a session with 202 and an empty body', async () => {
      const sessionId = await openRawSession(mcpUrl);
      const response = await sendRaw(mcpUrl, {
        headers: inSession(sessionId),
        body: jsonRpcNotification('notifications/cancelled', { requestId: 4711, reason: 'never sent' }),
      });
      expect(response.status).toBe(202);
      expect(response.body).toBe('');
    });

    it('refuses with 404 a session id that carries the same claims sealed under another key', async () => {
      const sessionId = await openRawSession(mcpUrl);
      const claims = openSession(new SealedBox(sessionKey), sessionId);
      expect(claims).toBeDefined();
      const forged = sealSession(new SealedBox(randomBytes(32)), claims!);
      const genuine = await sendRaw(mcpUrl, { headers: inSession(sessionId), body: jsonRpc('tools/list') });
      expect(genuine.status).toBe(200);
      const response = await sendRaw(mcpUrl, { headers: inSession(forged), body: jsonRpc('tools/list') });
      expect(response.status).toBe(404);
      expect(response.messages[0]?.error?.code).toBe(-32001);
    });

    it("serves a session on a second gateway process with the same INGRESS_SESSION_KEY (tools/call on the first's session)", async () => {
      const sessionId = await openRawSession(mcpUrl);
      const response = await sendRaw(replica!.mcpUrl, {
        headers: inSession(sessionId),
        body: jsonRpc('tools/call', { name: 'echo', arguments: { message: 'on the other replica' } }, 9),
      });
      expect(response.status).toBe(200);
      expect(response.messages).toEqual([
        {
          jsonrpc: '2.0',
          id: 9,
          result: expect.objectContaining({
            content: [{ type: 'text', text: 'Echo: on the other replica' }],
          }),
        },
      ]);
    });
  });

  describe('bodies', () => {
    const oversized = jsonRpc('tools/list', { padding: 'x'.repeat(maxBodyBytes) });

    it('answers a body past INGRESS_MAX_BODY_BYTES with 413, without a session', async () => {
      const response = await sendRaw(mcpUrl, { body: oversized });
      expect(response.status).toBe(413);
      expect(response.messages[0]?.error?.message).toBe(`Request body exceeds ${maxBodyBytes} bytes`);
    });

    it('answers a body past INGRESS_MAX_BODY_BYTES with 413, in a session', async () => {
      const sessionId = await openRawSession(mcpUrl);
      const response = await sendRaw(mcpUrl, { headers: inSession(sessionId), body: oversized });
      expect(response.status).toBe(413);
      expect(response.messages[0]?.error?.message).toBe(`Request body exceeds ${maxBodyBytes} bytes`);
    });

    it.each([
      ['without a session', false],
      ['in a session', true],
    ])('answers malformed JSON with 400 and -32700 (%s)', async (_label, withSession) => {
      const headers = withSession ? inSession(await openRawSession(mcpUrl)) : {};
      const response = await sendRaw(mcpUrl, { headers, body: '{"jsonrpc": "2.0", "method": ' });
      expect(response.status).toBe(400);
      expect(response.messages[0]?.error?.code).toBe(-32700);
    });

    it.each([
      ['an object without jsonrpc or method, without a session', '{"hello":"world"}', false],
      ['an object without jsonrpc or method, in a session', '{"hello":"world"}', true],
      ['a number, without a session', '42', false],
      ['a number, in a session', '42', true],
    ])(
      'answers a JSON value that is no JSON-RPC message with 400 and -32600: %s',
      async (_label, body, withSession) => {
        const headers = withSession ? inSession(await openRawSession(mcpUrl)) : {};
        const response = await sendRaw(mcpUrl, { headers, body });
        expect(response.status).toBe(400);
        expect(response.messages[0]?.error?.code).toBe(-32600);
      },
    );

    it('answers tools/call of an unknown tool with a JSON-RPC error -32602', async () => {
      const sessionId = await openRawSession(mcpUrl);
      const response = await sendRaw(mcpUrl, {
        headers: inSession(sessionId),
        body: jsonRpc('tools/call', { name: 'no-such-tool', arguments: {} }, 5),
      });
      expect(response.status).toBe(200);
      expect(response.messages).toEqual([
        {
          jsonrpc: '2.0',
          id: 5,
          error: expect.objectContaining({ code: -32602, message: expect.stringContaining('no-such-tool') }),
        },
      ]);
    });
  });
});
