import jwt from 'jsonwebtoken';
import { waitFor } from '@gateway/testing';
import {
  type AgentClient,
  type AuthServiceUnderTest,
  postForm,
  requestJson,
  verifyWithJwks,
} from '../auth-service.fixture';
import {
  accessTokenType,
  issuer,
  startTokenTestbed,
  tokenExchange,
  toolsResource,
  type TokenTestbed,
} from './token-testbed.fixture';

process.env['LOG_LEVEL'] ??= process.env['TEST_LOG_LEVEL'] ?? 'silent';

jest.setTimeout(120_000);

/* Token exchange, revocation and signing key rotation over HTTP, on PGlite and the in-process bus. */
describe('the life of a token', () => {
  let testbed: TokenTestbed;
  let auth: AuthServiceUnderTest;
  let buildBot: AgentClient;
  let router: AgentClient;
  const tokenFor = (client: AgentClient): Promise<string> => testbed.tokenFor(client);

  beforeAll(async () => {
    testbed = await startTokenTestbed((baseUrl) =>
      waitFor(async () => (await fetch(`${baseUrl}/readyz`)).status === 200, {
        timeoutMs: 60_000,
        description: 'auth to migrate PGlite, make its signing key and its first admin key',
      }).then(() => undefined),
    );
    ({ auth, buildBot, router } = testbed);
  });

  afterAll(async () => {
    await testbed?.stop();
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
