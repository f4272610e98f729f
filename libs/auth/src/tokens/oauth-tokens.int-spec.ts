import jwt from 'jsonwebtoken';
import { waitFor } from '@gateway/testing';
import {
  type AgentClient,
  type AuthServiceUnderTest,
  createAgentClient,
  postForm,
  requestJson,
  verifyWithJwks,
} from '../auth-service.fixture';
import {
  issuer,
  mcpResource,
  startTokenTestbed,
  tokenExchange,
  type TokenTestbed,
} from './token-testbed.fixture';

process.env['LOG_LEVEL'] ??= process.env['TEST_LOG_LEVEL'] ?? 'silent';

jest.setTimeout(120_000);

/* Client credentials, RFC 6749 refusals and RFC 8414 metadata over HTTP, on PGlite and the in-process bus. */
describe('the OAuth token endpoint', () => {
  let testbed: TokenTestbed;
  let auth: AuthServiceUnderTest;
  let buildBot: AgentClient;

  beforeAll(async () => {
    testbed = await startTokenTestbed((baseUrl) =>
      waitFor(async () => (await fetch(`${baseUrl}/readyz`)).status === 200, {
        timeoutMs: 60_000,
        description: 'auth to migrate PGlite, make its signing key and its first admin key',
      }).then(() => undefined),
    );
    ({ auth, buildBot } = testbed);
  });

  afterAll(async () => {
    await testbed?.stop();
  });

  it('issues a client credentials token that any relying party verifies with the JWKS', async () => {
    const answer = await postForm(
      auth.baseUrl,
      '/oauth/token',
      { grant_type: 'client_credentials', scope: 'mcp:read', resource: mcpResource },
      buildBot.client,
    );
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(answer.body).toEqual({
      access_token: expect.any(String) as unknown,
      token_type: 'Bearer',
      expires_in: 3600,
      scope: 'mcp:read',
    });
    const token = answer.body!['access_token'] as string;
    expect(jwt.decode(token, { complete: true })?.header).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });

    const claims = await verifyWithJwks(auth.baseUrl, token, { issuer, audience: mcpResource });
    expect(claims).toEqual({
      iss: issuer,
      sub: 'agent:build-bot',
      aud: mcpResource,
      iat: expect.any(Number) as unknown,
      nbf: claims.iat,
      exp: claims.iat! + 3600,
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
      scope: 'mcp:read',
      tenant: 'default',
      kind: 'agent',
      roles: ['developer', 'on-call'],
      teams: ['platform'],
      client_id: buildBot.client.id,
    });
    const jwks = await fetch(`${auth.baseUrl}/.well-known/jwks.json`);
    expect(jwks.headers.get('cache-control')).toMatch(/max-age=\d+/);
  });

  it('accepts client_secret_post and grants every allowed scope when none is asked for', async () => {
    const answer = await postForm(auth.baseUrl, '/oauth/token', {
      grant_type: 'client_credentials',
      client_id: buildBot.client.id,
      client_secret: buildBot.client.secret,
      resource: mcpResource,
    });
    expect(answer.body).toMatchObject({ scope: 'mcp:read mcp:call' });
  });

  it('refuses with RFC 6749 errors, and reports each failed client authentication', async () => {
    const failuresBefore = auth.published.securityEvents.length;
    const wrongSecret = await postForm(
      auth.baseUrl,
      '/oauth/token',
      { grant_type: 'client_credentials', resource: mcpResource },
      { id: buildBot.client.id, secret: 'mgwcs_not-the-secret' },
    );
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.headers.get('www-authenticate')).toMatch(/^Basic /);
    expect(wrongSecret.headers.get('cache-control')).toBe('no-store');
    expect(wrongSecret.body).toEqual({
      error: 'invalid_client',
      error_description: 'client authentication failed',
    });
    const unknown = await postForm(
      auth.baseUrl,
      '/oauth/token',
      { grant_type: 'client_credentials' },
      {
        id: 'agt_unknown',
        secret: 'x',
      },
    );
    expect(unknown.status).toBe(401);
    await waitFor(() => auth.published.securityEvents.length >= failuresBefore + 2, {
      description: 'the security events of both failures',
    });
    expect(auth.published.securityEvents.slice(failuresBefore)).toEqual([
      expect.objectContaining({
        kind: 'authentication-failed',
        tenant: 'default',
        principal: 'agent:build-bot',
        method: '/oauth/token',
        reason: 'client authentication failed: wrong client secret',
      }),
      expect.objectContaining({
        kind: 'authentication-failed',
        reason: 'client authentication failed: unknown client_id',
      }),
    ]);

    const refusals: Array<[Record<string, string>, string, string]> = [
      [{ grant_type: 'client_credentials', scope: 'admin', resource: mcpResource }, 'invalid_scope', 'admin'],
      [{ grant_type: 'client_credentials' }, 'invalid_target', 'resource'],
      [
        { grant_type: 'client_credentials', resource: 'https://elsewhere.test/mcp' },
        'invalid_target',
        'elsewhere',
      ],
      [{ grant_type: 'password', resource: mcpResource }, 'unsupported_grant_type', 'password'],
      [{ resource: mcpResource }, 'invalid_request', 'grant_type'],
    ];
    for (const [form, error, mentioned] of refusals) {
      const answer = await postForm(auth.baseUrl, '/oauth/token', form, buildBot.client);
      expect({ status: answer.status, error: answer.body?.['error'] }).toEqual({ status: 400, error });
      expect(answer.body?.['error_description']).toContain(mentioned);
    }
    const json = await requestJson(auth.baseUrl, 'POST', '/oauth/token', {
      grant_type: 'client_credentials',
    });
    expect(json.body).toMatchObject({ error: 'invalid_request' });
  });

  it('refuses a revoked client secret', async () => {
    const doomed = await createAgentClient(auth.baseUrl, { name: 'doomed', scopes: ['mcp:read'] });
    const [secret] = (
      (await requestJson(auth.baseUrl, 'GET', `/api/v1/auth/agents/${doomed.agentId}/client-secrets`))
        .body as {
        clientSecrets: Array<{ id: string; revokedAt: string | null }>;
      }
    ).clientSecrets;
    expect(JSON.stringify(secret)).not.toContain(doomed.client.secret);
    const revoked = await requestJson(
      auth.baseUrl,
      'POST',
      `/api/v1/auth/agents/${doomed.agentId}/client-secrets/${secret!.id}/revoke`,
    );
    expect(revoked.body).toMatchObject({ revokedAt: expect.any(String) as unknown });
    const answer = await postForm(
      auth.baseUrl,
      '/oauth/token',
      { grant_type: 'client_credentials' },
      doomed.client,
    );
    expect({ status: answer.status, error: answer.body?.['error'] }).toEqual({
      status: 401,
      error: 'invalid_client',
    });
  });

  it('publishes RFC 8414 metadata with URLs built from the issuer', async () => {
    const answer = await requestJson(auth.baseUrl, 'GET', '/.well-known/oauth-authorization-server');
    expect(answer.body).toEqual({
      issuer,
      token_endpoint: `${issuer}/oauth/token`,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      revocation_endpoint: `${issuer}/oauth/revoke`,
      grant_types_supported: ['client_credentials', tokenExchange],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      scopes_supported: ['mcp:read', 'mcp:call', 'admin'],
      response_types_supported: [],
    });
  });
});
