import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import pino from 'pino';
import { type EmbeddedPostgres, startEmbeddedPostgres } from '@gateway/platform';
import { waitFor } from '@gateway/testing';
import {
  type AgentClient,
  type AuthServiceUnderTest,
  createAgentClient,
  postForm,
  requestJson,
  startAuthService,
  verifyWithJwks,
} from '../auth-service.fixture';

process.env['LOG_LEVEL'] ??= process.env['TEST_LOG_LEVEL'] ?? 'silent';

jest.setTimeout(120_000);

const issuer = 'https://gateway.example.test';
const mcpResource = 'https://mcp.example.test/mcp';
const toolsResource = 'https://tools.example.test/api';
const tokenExchange = 'urn:ietf:params:oauth:grant-type:token-exchange';
const accessTokenType = 'urn:ietf:params:oauth:token-type:access_token';

/* The token endpoint, JWKS, metadata, revocation and rotation over HTTP, on PGlite and the in-process bus. */
describe('the OAuth token issuer', () => {
  let dataDir: string;
  let postgres: EmbeddedPostgres;
  let auth: AuthServiceUnderTest;
  let buildBot: AgentClient;
  let router: AgentClient;

  const tokenFor = async (
    client: AgentClient,
    form: Record<string, string | string[]> = {},
  ): Promise<string> => {
    const answer = await postForm(
      auth.baseUrl,
      '/oauth/token',
      { grant_type: 'client_credentials', resource: mcpResource, ...form },
      client.client,
    );
    if (answer.status !== 200) throw new Error(`no token: ${JSON.stringify(answer.body)}`);
    return answer.body!['access_token'] as string;
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'auth-tokens-'));
    postgres = await startEmbeddedPostgres({
      dataDir: join(dataDir, 'pglite'),
      logger: pino({ level: 'silent' }),
    });
    auth = await startAuthService({
      databaseUrl: postgres.url,
      schema: 'auth',
      grpcAddress: `unix:${join(dataDir, 'auth.sock')}`,
      env: {
        AUTH_ISSUER: issuer,
        AUTH_ALLOWED_RESOURCES: 'https://mcp.example.test/,https://tools.example.test/',
        AUTH_BOOTSTRAP_ADMIN_KEY: `mgw_${'a'.repeat(43)}`,
      },
    });
    await waitFor(async () => (await fetch(`${auth.baseUrl}/readyz`)).status === 200, {
      timeoutMs: 60_000,
      description: 'auth to migrate PGlite, make its signing key and its first admin key',
    });
    for (const role of ['developer', 'on-call']) {
      await requestJson(auth.baseUrl, 'POST', '/api/v1/auth/roles', { name: role });
    }
    await requestJson(auth.baseUrl, 'POST', '/api/v1/auth/teams', { name: 'platform', roles: ['on-call'] });
    buildBot = await createAgentClient(auth.baseUrl, {
      name: 'build-bot',
      scopes: ['mcp:read', 'mcp:call'],
      roles: ['developer'],
      teams: ['platform'],
    });
    router = await createAgentClient(auth.baseUrl, { name: 'router', scopes: ['mcp:read'] });
  });

  afterAll(async () => {
    await auth?.close();
    await postgres?.stop();
    await rm(dataDir, { recursive: true, force: true });
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

  it('exchanges a token for another audience: same subject, narrower scope, the client as actor', async () => {
    const subjectToken = await tokenFor(buildBot);
    const subject = await verifyWithJwks(auth.baseUrl, subjectToken);
    const answer = await postForm(
      auth.baseUrl,
      '/oauth/token',
      {
        grant_type: tokenExchange,
        subject_token: subjectToken,
        subject_token_type: accessTokenType,
        resource: toolsResource,
        scope: 'mcp:read',
      },
      router.client,
    );
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      issued_token_type: accessTokenType,
      token_type: 'Bearer',
      scope: 'mcp:read',
    });
    const exchanged = await verifyWithJwks(auth.baseUrl, answer.body!['access_token'] as string, {
      issuer,
      audience: toolsResource,
    });
    expect(exchanged).toMatchObject({
      sub: 'agent:build-bot',
      tenant: 'default',
      kind: 'agent',
      roles: ['developer', 'on-call'],
      teams: ['platform'],
      scope: 'mcp:read',
      client_id: router.client.id,
      act: { sub: 'agent:router' },
    });
    expect(exchanged.jti).not.toBe(subject.jti);
    expect(exchanged.exp).toBeLessThanOrEqual(subject.exp!);

    const exchange = (form: Record<string, string>) =>
      postForm(
        auth.baseUrl,
        '/oauth/token',
        { grant_type: tokenExchange, resource: toolsResource, ...form },
        router.client,
      );
    const wider = await exchange({
      subject_token: subjectToken,
      subject_token_type: accessTokenType,
      scope: 'admin',
    });
    expect(wider.body).toMatchObject({ error: 'invalid_scope' });
    const forged = await exchange({
      subject_token: `${subjectToken.slice(0, -4)}AAAA`,
      subject_token_type: accessTokenType,
    });
    expect(forged.body).toMatchObject({ error: 'invalid_grant' });
    const untyped = await exchange({ subject_token: subjectToken });
    expect(untyped.body).toMatchObject({ error: 'invalid_request' });
  });

  it('revokes a token for the client it was issued to, publishes the revocation, and refuses it in an exchange', async () => {
    const token = await tokenFor(buildBot);
    const { jti, exp } = await verifyWithJwks(auth.baseUrl, token);
    const byOther = await postForm(auth.baseUrl, '/oauth/revoke', { token }, router.client);
    expect(byOther.body).toMatchObject({ error: 'unauthorized_client' });

    const revoked = await postForm(
      auth.baseUrl,
      '/oauth/revoke',
      { token, token_type_hint: 'access_token' },
      buildBot.client,
    );
    expect({ status: revoked.status, body: revoked.body }).toEqual({ status: 200, body: undefined });
    await waitFor(() => auth.published.revocations.some((record) => record.key === jti), {
      description: 'the revocation of the token',
    });
    expect(auth.published.revocations.find((record) => record.key === jti)?.value).toEqual({
      credentialId: jti,
      kind: 'token',
      tenant: 'default',
      revokedAt: expect.any(String) as unknown,
      expiresAt: new Date(exp! * 1000).toISOString(),
    });
    const notAToken = await postForm(
      auth.baseUrl,
      '/oauth/revoke',
      { token: 'not-a-token' },
      buildBot.client,
    );
    expect(notAToken.status).toBe(200);

    const exchange = await postForm(
      auth.baseUrl,
      '/oauth/token',
      {
        grant_type: tokenExchange,
        subject_token: token,
        subject_token_type: accessTokenType,
        resource: toolsResource,
      },
      router.client,
    );
    expect(exchange.body).toEqual({
      error: 'invalid_grant',
      error_description: 'subject_token: token revoked',
    });
  });

  it('lets an admin revoke any token by its id', async () => {
    const { jti, exp } = await verifyWithJwks(auth.baseUrl, await tokenFor(router));
    const expiresAt = new Date(exp! * 1000).toISOString();
    const missing = await requestJson(auth.baseUrl, 'POST', '/api/v1/auth/tokens/revoke', {
      jti,
      tenant: 'default',
    });
    expect(missing).toMatchObject({
      status: 400,
      body: { message: [expect.stringMatching(/^expiresAt: /)] },
    });
    const answer = await requestJson(auth.baseUrl, 'POST', '/api/v1/auth/tokens/revoke', {
      jti,
      expiresAt,
      tenant: 'default',
    });
    expect(answer).toMatchObject({ status: 200, body: { jti, revoked: true } });
    await waitFor(
      () =>
        auth.published.revocations.some((record) => record.key === jti) &&
        auth.published.adminChanges.some((change) => change.entityId === `default/token:${jti}`),
      { description: 'the revocation and the admin change' },
    );
    expect(auth.published.revocations.find((record) => record.key === jti)?.value).toMatchObject({
      kind: 'token',
      expiresAt,
    });
    expect(
      auth.published.adminChanges.find((change) => change.entityId === `default/token:${jti}`),
    ).toMatchObject({
      actor: 'system',
      entityType: 'identity',
      action: 'revoked',
    });
  });

  it('rotates on request: the new key is published and signs, the old one stays verifiable', async () => {
    const before = await tokenFor(buildBot);
    const oldKid = jwt.decode(before, { complete: true })!.header.kid!;
    const rotated = await requestJson(auth.baseUrl, 'POST', '/api/v1/auth/signing-keys/rotate');
    expect(rotated.status).toBe(201);
    const newKid = (rotated.body as { kid: string }).kid;
    expect(newKid).not.toBe(oldKid);

    await waitFor(() => auth.published.signingKeys.some((record) => record.key === newKid), {
      description: 'the new signing key on the signing-keys topic',
    });
    const published = auth.published.signingKeys.filter((record) => record.key === newKid).at(-1)!.value!;
    expect(published).toMatchObject({
      kid: newKid,
      issuer,
      alg: 'ES256',
      publicJwk: { kid: newKid, kty: 'EC', crv: 'P-256' },
    });
    const retired = auth.published.signingKeys.filter((record) => record.key === oldKid).at(-1)!.value!;
    expect(Date.parse(retired.retiresAt)).toBeLessThanOrEqual(Date.parse(published.createdAt));
    expect(Date.parse(retired.expiresAt)).toBeGreaterThan(Date.now());

    const after = await tokenFor(buildBot);
    expect(jwt.decode(after, { complete: true })!.header.kid).toBe(newKid);
    await expect(verifyWithJwks(auth.baseUrl, before, { issuer })).resolves.toMatchObject({
      sub: 'agent:build-bot',
    });
    await expect(verifyWithJwks(auth.baseUrl, after, { issuer })).resolves.toMatchObject({
      sub: 'agent:build-bot',
    });
    await waitFor(
      () =>
        auth.published.adminChanges.some(
          (change) => change.entityId === newKid && change.action === 'rotated' && change.actor === 'system',
        ),
      { description: 'the admin change of the rotation' },
    );
  });
});
