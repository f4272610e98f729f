import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { testAdminHeaders, waitFor } from '@gateway/testing';
import { AuditTrail } from '../audit-trail';
import { EmbeddedGateway } from '../data-plane/embedded-gateway.fixture';
import { sendRaw } from '../data-plane/raw-mcp-request';
import { AdminApi } from './admin-api';

const initialize = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: {
    protocolVersion: '2025-06-18',
    capabilities: {},
    clientInfo: { name: 'security-e2e', version: '1' },
  },
});

const mcpHeaders = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

/** An SDK client whose every request carries whatever credential `credential()` says now. */
async function connectAs(mcpUrl: string, credential: () => string): Promise<Client> {
  const client = new Client({ name: 'security-e2e', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(mcpUrl), {
    fetch: (input, init) => {
      const headers = new Headers(init?.headers);
      headers.set('authorization', `Bearer ${credential()}`);
      return fetch(input, { ...init, headers });
    },
  });
  await client.connect(transport);
  return client;
}

function textOf(result: Record<string, unknown>): string {
  return ((result['content'] ?? []) as Array<{ type: string; text?: string }>)
    .map((block) => block.text ?? '')
    .join('');
}

describe('the security plane (embedded gateway, real tokens, real upstreams)', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'gateway-security-e2e-'));
  const descriptionFile = join(workDir, 'summarize.description');
  let gateway: EmbeddedGateway;
  let admin: AdminApi;
  let mcpUrl: string;

  /** An agent with the given roles and a client secret allowed the given scopes. */
  async function agent(
    name: string,
    roles: string[],
    scopes: string[],
  ): Promise<{ id: string; secret: string }> {
    const created = await admin.ok<{ id: string }>('POST', '/api/v1/auth/agents', { name, roles, scopes });
    const issued = await admin.ok<{ client_id: string; client_secret: string }>(
      'POST',
      `/api/v1/auth/agents/${created.id}/client-secrets`,
      {},
    );
    return { id: issued.client_id, secret: issued.client_secret };
  }

  beforeAll(async () => {
    writeFileSync(descriptionFile, 'Summarizes a text.');
    gateway = await EmbeddedGateway.start({
      config: 'security.yaml',
      workDir,
      upstreams: ['everything', 'review'],
      env: { REVIEW_DESCRIPTION_FILE: descriptionFile },
    });
    admin = new AdminApi(gateway.baseUrl);
    mcpUrl = gateway.mcpUrl;
    await admin.ok('POST', '/api/v1/auth/roles', { name: 'restricted' });
  }, 120_000);

  afterAll(async () => {
    await gateway?.stop();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('answers a request without a credential 401, naming the protected resource metadata (RFC 9728)', async () => {
    // fetch, not sendRaw: this request must carry no credential at all.
    const refused = await fetch(mcpUrl, { method: 'POST', headers: mcpHeaders, body: initialize });
    expect(refused.status).toBe(401);
    const metadataUrl = `${gateway.baseUrl}/.well-known/oauth-protected-resource/mcp`;
    expect(refused.headers.get('www-authenticate')).toContain(`resource_metadata="${metadataUrl}"`);
    expect(((await refused.json()) as { error: { code: number } }).error.code).toBe(401);
    const metadata = (await (await fetch(metadataUrl)).json()) as Record<string, unknown>;
    expect(metadata).toMatchObject({ resource: mcpUrl, authorization_servers: [gateway.baseUrl] });
    const issuer = (await (
      await fetch(`${gateway.baseUrl}/.well-known/oauth-authorization-server`)
    ).json()) as Record<string, unknown>;
    expect(issuer).toMatchObject({
      issuer: gateway.baseUrl,
      token_endpoint: `${gateway.baseUrl}/oauth/token`,
    });
  });

  it('refuses tampered, unsigned and wrong-audience tokens with 401 invalid_token', async () => {
    const bot = await agent('audience-bot', ['developer'], ['mcp:read']);
    const good = await admin.token(bot.id, bot.secret, 'mcp:read', mcpUrl);
    const [header, payload, signature] = good.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, roles: ['admin'] })).toString('base64url')}.${signature}`;
    const unsigned = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload}.`;
    const elsewhere = await admin.token(bot.id, bot.secret, 'mcp:read', 'http://127.0.0.1:1/mcp');
    for (const token of [forged, unsigned, elsewhere]) {
      const refused = await sendRaw(mcpUrl, {
        headers: { ...mcpHeaders, authorization: `Bearer ${token}` },
        body: initialize,
      });
      expect(refused.status).toBe(401);
      expect(refused.headers['www-authenticate']).toMatch(/^Bearer error="invalid_token"/);
    }
    const accepted = await sendRaw(mcpUrl, {
      headers: { ...mcpHeaders, authorization: `Bearer ${good}` },
      body: initialize,
    });
    expect(accepted.status).toBe(200);
  });

  it('steps up from mcp:read to mcp:call on the same session after 403 insufficient_scope', async () => {
    const bot = await agent('step-up-bot', ['developer'], ['mcp:read', 'mcp:call']);
    let token = await admin.token(bot.id, bot.secret, 'mcp:read', mcpUrl);
    const client = await connectAs(mcpUrl, () => token);
    expect((await client.listTools()).tools.map((tool) => tool.name)).toContain('everything_echo');
    const call = () => client.callTool({ name: 'everything_echo', arguments: { message: 'stepped up' } });
    await expect(call()).rejects.toThrow(/403/);
    const challenge = await sendRaw(mcpUrl, {
      headers: { ...mcpHeaders, authorization: `Bearer ${token}` },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 9,
        method: 'tools/call',
        params: { name: 'everything_echo', arguments: {} },
      }),
    });
    expect(challenge.status).toBe(403);
    expect(challenge.headers['www-authenticate']).toContain('error="insufficient_scope"');
    expect(challenge.headers['www-authenticate']).toContain('scope="mcp:read mcp:call"');
    token = await admin.token(bot.id, bot.secret, 'mcp:read mcp:call', mcpUrl);
    expect(textOf(await call())).toContain('stepped up');
    await client.close();
  });

  it('allows a tool only for the argument values a Cedar policy permits, and hides the tools it denies', async () => {
    await admin.ok('PUT', '/api/v1/policies/default/restricted-echo', {
      source: [
        'permit(principal in Gateway::Role::"restricted", action == Gateway::Action::"tools/list", resource == Gateway::Tool::"everything/echo");',
        'permit(principal in Gateway::Role::"restricted", action == Gateway::Action::"tools/call", resource == Gateway::Tool::"everything/echo")',
        '  when { context.arguments has message && context.arguments.message like "hello*" };',
      ].join('\n'),
    });
    const bot = await agent('restricted-bot', ['restricted'], ['mcp:read', 'mcp:call']);
    const token = await admin.token(bot.id, bot.secret, 'mcp:read mcp:call', mcpUrl);
    const client = await connectAs(mcpUrl, () => token);
    await waitFor(
      async () => (await client.listTools()).tools.map((tool) => tool.name).join(',') === 'everything_echo',
      {
        description: 'the restricted agent to see only everything_echo',
      },
    );
    expect(
      textOf(await client.callTool({ name: 'everything_echo', arguments: { message: 'hello there' } })),
    ).toContain('hello there');
    await expect(
      client.callTool({ name: 'everything_echo', arguments: { message: 'goodbye' } }),
    ).rejects.toMatchObject({
      code: 403,
    });
    await expect(
      client.callTool({ name: 'everything_get-sum', arguments: { a: 1, b: 2 } }),
    ).rejects.toMatchObject({
      code: 403,
    });
    await client.close();
  });

  it('refuses an API key on the request after it is revoked', async () => {
    const created = await admin.ok<{ id: string; key: string }>('POST', '/api/v1/auth/api-keys', {
      principal: 'user:admin',
      name: 'short-lived',
      scopes: ['mcp:read'],
    });
    const use = () =>
      sendRaw(mcpUrl, {
        headers: { ...mcpHeaders, authorization: `Bearer ${created.key}` },
        body: initialize,
      });
    expect((await use()).status).toBe(200);
    await admin.ok('POST', `/api/v1/auth/api-keys/${created.id}/revoke`);
    await waitFor(async () => (await use()).status === 401, { description: 'the revoked key to be refused' });
  });

  it('masks a secret and a card number in what server-everything echoes, and records it in the audit trail', async () => {
    await admin.ok('PUT', '/api/v1/tenants/default/guardrails', {
      masking: { detectors: ['secrets', 'card'], arguments: false, results: true },
    });
    const client = await connectAs(mcpUrl, () => testAdminHeaders().authorization!.slice('Bearer '.length));
    const message = 'deploy with AKIAIOSFODNN7EXAMPLE and pay with 4111 1111 1111 1111';
    let echoed = '';
    await waitFor(
      async () => {
        echoed = textOf(await client.callTool({ name: 'everything_echo', arguments: { message } }));
        return echoed.includes('[masked:');
      },
      { description: 'the guardrails bundle to reach the router', onTimeout: () => echoed },
    );
    expect(echoed).toContain('[masked:secrets]');
    expect(echoed).toContain('[masked:card]');
    expect(echoed).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(echoed).not.toContain('4111 1111 1111 1111');
    const audit = new AuditTrail(gateway.baseUrl, testAdminHeaders());
    await waitFor(
      async () =>
        (await audit.events({ kind: 'security' })).some(
          (record) => record.event['kind'] === 'guardrail' && record.event['action'] === 'masked',
        ),
      { description: 'the masking to be in the audit trail' },
    );
    await admin.ok('PUT', '/api/v1/tenants/default/guardrails', {});
    await client.close();
  });

  it('quarantines the poisoned tool and holds a changed definition until an admin approves it', async () => {
    const client = await connectAs(mcpUrl, () => testAdminHeaders().authorization!.slice('Bearer '.length));
    const names = async () => (await client.listTools()).tools.map((tool) => tool.name);
    await waitFor(async () => (await names()).includes('review_word_count'), {
      description: 'the review fixture listed',
    });
    expect(await names()).not.toContain('review_file_helper');
    await expect(
      client.callTool({ name: 'review_file_helper', arguments: { text: 'x' } }),
    ).rejects.toMatchObject({
      code: expect.any(Number),
    });
    const quarantined = await waitFor(
      async () => {
        const pins = await admin.ok<{ pins: Array<{ tool: string; status: string }> }>(
          'GET',
          '/api/v1/tool-pins?server=review',
        );
        return pins.pins.find((pin) => pin.tool === 'file_helper' && pin.status === 'quarantined');
      },
      { description: 'file_helper quarantined by the registry' },
    );
    expect(quarantined).toBeDefined();

    await waitFor(
      async () => {
        const pins = await admin.ok<{ pins: Array<{ tool: string; status: string }> }>(
          'GET',
          '/api/v1/tool-pins?server=review',
        );
        return pins.pins.some((pin) => pin.tool === 'summarize' && pin.status === 'approved');
      },
      { description: 'summarize approved on first use' },
    );
    writeFileSync(descriptionFile, 'Summarizes a text in three sentences.');
    await waitFor(async () => !(await names()).includes('review_summarize'), {
      description: 'the changed summarize held',
    });
    await expect(
      client.callTool({ name: 'review_summarize', arguments: { text: 'x' } }),
    ).rejects.toBeDefined();
    await admin.ok('POST', '/api/v1/tool-pins/review/summarize/approve');
    await waitFor(async () => (await names()).includes('review_summarize'), {
      description: 'summarize back after approval',
    });
    const summarize = (await client.listTools()).tools.find((tool) => tool.name === 'review_summarize');
    expect(summarize?.description).toBe('Summarizes a text in three sentences.');
    await client.close();
  });

  it('locks the admin API: 401 without a credential, 403 for a principal without the admin role', async () => {
    expect((await new AdminApi(gateway.baseUrl, {}).send('GET', '/api/v1/upstreams')).status).toBe(401);
    const viewer = await admin.ok<{ key: string }>('POST', '/api/v1/auth/api-keys', {
      principal: 'agent:restricted-bot',
      name: 'not an admin',
      scopes: ['mcp:read'],
    });
    const asViewer = new AdminApi(gateway.baseUrl, { authorization: `Bearer ${viewer.key}` });
    for (const path of [
      '/api/v1/upstreams',
      '/api/v1/servers',
      '/api/v1/audit/verify',
      '/api/v1/policies/default',
      '/api/v1/auth/agents',
    ]) {
      expect({ path, status: (await asViewer.send('GET', path)).status }).toEqual({ path, status: 403 });
    }
  });
});
