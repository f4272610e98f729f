import { createPublicKey } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import pino from 'pino';
import type { SigningKeyValue } from '@gateway/contracts';
import { type EmbeddedPostgres, startEmbeddedPostgres } from '@gateway/platform';
import { waitFor } from '@gateway/testing';
import {
  type AuthServiceUnderTest,
  createAgentClient,
  postForm,
  startAuthService,
} from '../auth-service.fixture';

process.env['LOG_LEVEL'] ??= process.env['TEST_LOG_LEVEL'] ?? 'silent';

jest.setTimeout(120_000);

const rotationMs = 3_000;
const tokenTtlMs = 1_000;

/* Scheduled rotation with periods short enough to watch keys come and go. */
describe('signing key rotation on schedule', () => {
  let dataDir: string;
  let postgres: EmbeddedPostgres;
  let auth: AuthServiceUnderTest;

  const records = (): Array<{ key: string; value: SigningKeyValue | null }> => auth.published.signingKeys;
  const kids = (): string[] => [...new Set(records().map((record) => record.key))];
  const latest = (kid: string): SigningKeyValue | null | undefined =>
    records()
      .filter((record) => record.key === kid)
      .at(-1)?.value;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'auth-rotation-'));
    postgres = await startEmbeddedPostgres({
      dataDir: join(dataDir, 'pglite'),
      logger: pino({ level: 'silent' }),
    });
    auth = await startAuthService({
      databaseUrl: postgres.url,
      schema: 'auth',
      grpcAddress: `unix:${join(dataDir, 'auth.sock')}`,
      env: {
        AUTH_ISSUER: 'https://gateway.example.test',
        AUTH_DEFAULT_AUDIENCE: 'https://mcp.example.test/mcp',
        AUTH_SIGNING_KEY_ROTATION_MS: String(rotationMs),
        AUTH_TOKEN_TTL_MS: String(tokenTtlMs),
        AUTH_BOOTSTRAP_ADMIN_KEY: `mgw_${'r'.repeat(43)}`,
      },
    });
    await waitFor(async () => (await fetch(`${auth.baseUrl}/readyz`)).status === 200, {
      timeoutMs: 60_000,
      description: 'auth to migrate PGlite and make its first signing key',
    });
  });

  afterAll(async () => {
    await auth?.close();
    await postgres?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('publishes each successor ahead of its turn, then a tombstone once the old key can verify nothing', async () => {
    await waitFor(() => kids().length >= 3 && latest(kids()[0]!) === null, {
      timeoutMs: 30_000,
      description: 'two successors of the first key, and the first key dropped',
      onTimeout: () => JSON.stringify(records()),
    });
    const [first, second] = kids().map((kid) => records().find((record) => record.key === kid)!.value!);
    // The successor was out before its predecessor stopped signing, and signs from that moment on.
    expect(Date.parse(second!.createdAt)).toBeLessThan(Date.parse(first!.retiresAt));
    expect(Date.parse(second!.retiresAt)).toBe(Date.parse(first!.retiresAt) + rotationMs);
    expect(Date.parse(first!.expiresAt)).toBe(Date.parse(first!.retiresAt) + tokenTtlMs);
    expect(
      records().findIndex((record) => record.key === first!.kid && record.value === null),
    ).toBeGreaterThan(records().findIndex((record) => record.key === second!.kid));

    const jwks = (await (await fetch(`${auth.baseUrl}/.well-known/jwks.json`)).json()) as {
      keys: Array<{ kid: string }>;
    };
    expect(jwks.keys.map((key) => key.kid)).not.toContain(first!.kid);
    await waitFor(
      () =>
        auth.published.adminChanges.filter(
          (change) => change.entityType === 'signing-key' && change.action === 'created',
        ).length >= 3 &&
        auth.published.adminChanges.some(
          (change) => change.entityId === first!.kid && change.action === 'deleted',
        ),
      { description: 'the admin changes of the scheduled rotations' },
    );
  });

  it('signs with the key whose turn it is, as published on the signing-keys topic', async () => {
    const agent = await createAgentClient(auth.baseUrl, { name: 'rotating', scopes: ['mcp:read'] });
    const answer = await postForm(
      auth.baseUrl,
      '/oauth/token',
      { grant_type: 'client_credentials' },
      agent.client,
    );
    const token = answer.body!['access_token'] as string;
    const kid = jwt.decode(token, { complete: true })!.header.kid!;
    const signer = records().find((record) => record.key === kid)?.value;
    expect(signer).toBeTruthy();
    // Verified with the key as every verifier holds it; the one-second token may be past its exp by now.
    const claims = jwt.verify(token, createPublicKey({ key: signer!.publicJwk, format: 'jwk' }), {
      algorithms: ['ES256'],
      ignoreExpiration: true,
    }) as jwt.JwtPayload;
    expect(claims).toMatchObject({ sub: 'agent:rotating', aud: 'https://mcp.example.test/mcp' });
    expect(Date.parse(signer!.retiresAt)).toBeGreaterThan(claims.iat! * 1000);
    expect(Date.parse(signer!.createdAt)).toBeLessThan((claims.iat! + 1) * 1000);
  });
});
