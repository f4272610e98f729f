import { generateKeyPairSync, type KeyObject, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sign } from 'jsonwebtoken';
import { RevocationRecord, SigningKeyRecord } from '@gateway/contracts';
import { InProcessEventBus, publishEvent } from '@gateway/platform';
import { waitFor } from '@gateway/testing';
import { ApiKeyVerifier } from './api-key.verifier';
import { AuthenticationFailure } from './authentication-failure';
import { checkAudience, CredentialVerifier } from './credential.verifier';
import { JwtVerifier } from './jwt.verifier';
import { RevocationList } from './revocation.list';
import { loadSecurityConfig } from './security-config';
import { SigningKeyDirectory } from './signing-key.directory';

const issuer = 'http://127.0.0.1:8083';
const resource = 'http://127.0.0.1:8080/mcp';

function ecKeyPair(): { privateKey: KeyObject; publicKey: KeyObject } {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' });
}

/** A loopback OpenID provider: discovery and a JWKS with one real key. */
async function startOidcProvider(
  publicKey: KeyObject,
  kid: string,
): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    response.setHeader('content-type', 'application/json');
    if (request.url === '/.well-known/openid-configuration') {
      response.end(JSON.stringify({ issuer: url, jwks_uri: `${url}/jwks` }));
    } else if (request.url === '/jwks') {
      response.end(
        JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'ES256' }] }),
      );
    } else {
      response.statusCode = 404;
      response.end('{}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('credential verification (real keys, real tokens)', () => {
  const builtIn = ecKeyPair();
  const external = ecKeyPair();
  const kid = 'k-test-1';
  const bus = new InProcessEventBus();
  let oidc: { url: string; server: Server };
  let revocations: RevocationList;
  let keys: SigningKeyDirectory;
  let verifier: CredentialVerifier;

  const token = (
    claims: Record<string, unknown> = {},
    options: { key?: KeyObject; kid?: string; expiresIn?: number } = {},
  ) =>
    sign(
      {
        sub: 'agent:build-bot',
        tenant: 'default',
        kind: 'agent',
        roles: ['developer'],
        teams: ['platform'],
        scope: 'mcp:read mcp:call',
        aud: resource,
        iss: issuer,
        jti: randomUUID(),
        ...claims,
      },
      options.key ?? builtIn.privateKey,
      {
        algorithm: 'ES256',
        keyid: options.kid ?? kid,
        ...('exp' in claims ? {} : { expiresIn: options.expiresIn ?? 300 }),
      },
    );

  async function refusal(credential: string): Promise<AuthenticationFailure> {
    const error = await verifier.verify(credential).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(AuthenticationFailure);
    return error as AuthenticationFailure;
  }

  beforeAll(async () => {
    oidc = await startOidcProvider(external.publicKey, 'ext-1');
    const config = loadSecurityConfig({
      AUTH_ISSUER: issuer,
      AUTH_GRPC_ADDRESS: '127.0.0.1:1',
      AUTH_OIDC_PROVIDERS: JSON.stringify([
        {
          issuer: oidc.url,
          roleMapping: { 'mcp-admins': ['admin'], engineers: ['developer'] },
          defaultScopes: ['mcp:read'],
        },
      ]),
    });
    keys = new SigningKeyDirectory(bus, config);
    revocations = new RevocationList(bus, config);
    await keys.onModuleInit();
    await revocations.onModuleInit();
    const jwts = new JwtVerifier(config, keys, revocations);
    verifier = new CredentialVerifier(new ApiKeyVerifier(config, revocations), jwts, revocations);
    const now = Date.now();
    publishEvent(bus, SigningKeyRecord, {
      kid,
      issuer,
      alg: 'ES256',
      publicJwk: { ...builtIn.publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'ES256' },
      createdAt: new Date(now).toISOString(),
      retiresAt: new Date(now + 3_600_000).toISOString(),
      expiresAt: new Date(now + 7_200_000).toISOString(),
    });
    await waitFor(() => keys.keyFor(kid) !== undefined, { description: 'the signing key from the topic' });
  });

  afterAll(async () => {
    await keys.onModuleDestroy();
    await revocations.onModuleDestroy();
    await bus.close();
    oidc.server.close();
  });

  it('accepts a token of the built-in issuer and names its principal', async () => {
    const principal = await verifier.verify(token());
    expect(principal).toMatchObject({
      id: 'agent:build-bot',
      tenant: 'default',
      kind: 'agent',
      roles: ['developer'],
      teams: ['platform'],
      scopes: ['mcp:read', 'mcp:call'],
      credential: 'jwt',
      audiences: [resource],
    });
    expect(() => checkAudience(principal, [resource])).not.toThrow();
  });

  it('refuses an expired token', async () => {
    expect((await refusal(token({ exp: Math.floor(Date.now() / 1000) - 120 }))).reason).toBe('expired');
  });

  it('refuses a token of an issuer it does not trust', async () => {
    expect((await refusal(token({ iss: 'http://evil.example' }))).reason).toBe('untrusted-issuer');
  });

  it('refuses a token signed by another key under a known kid', async () => {
    expect((await refusal(token({}, { key: ecKeyPair().privateKey }))).reason).toBe('invalid-signature');
  });

  it('refuses a tampered token (claims changed after signing)', async () => {
    const [header, payload, signature] = token().split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, roles: ['admin'] })).toString('base64url');
    expect((await refusal(`${header}.${forged}.${signature}`)).reason).toBe('invalid-signature');
  });

  it('refuses an unsigned token (alg none)', async () => {
    const unsigned = sign(
      { sub: 'agent:x', tenant: 'default', iss: issuer, aud: resource, jti: randomUUID() },
      '',
      { algorithm: 'none' },
    );
    expect((await refusal(unsigned)).reason).toBe('unsigned');
  });

  it('refuses a token naming a key that was never published', async () => {
    expect((await refusal(token({}, { kid: 'k-unknown' }))).reason).toBe('unknown-key');
  });

  it('refuses a token for another resource (RFC 8707 audience)', async () => {
    const principal = await verifier.verify(token({ aud: 'http://127.0.0.1:9999/mcp' }));
    expect(() => checkAudience(principal, [resource])).toThrow(/not http:\/\/127.0.0.1:8080\/mcp/);
  });

  it('refuses a token revoked after it was verified and cached', async () => {
    const jti = randomUUID();
    const revocable = token({ jti });
    await expect(verifier.verify(revocable)).resolves.toMatchObject({ credentialId: jti });
    publishEvent(bus, RevocationRecord, {
      credentialId: jti,
      kind: 'token',
      tenant: 'default',
      revokedAt: new Date().toISOString(),
    });
    await waitFor(() => revocations.isRevoked(jti), { description: 'the revocation' });
    expect((await refusal(revocable)).reason).toBe('revoked');
  });

  it('accepts a token of a configured OIDC provider and maps its groups to roles and teams', async () => {
    const external_token = sign(
      { sub: 'alice', groups: ['mcp-admins', 'engineers'], aud: resource, iss: oidc.url },
      external.privateKey,
      {
        algorithm: 'ES256',
        keyid: 'ext-1',
        expiresIn: 300,
      },
    );
    const principal = await verifier.verify(external_token);
    expect(principal).toMatchObject({
      id: 'user:alice',
      tenant: 'default',
      kind: 'user',
      teams: ['mcp-admins', 'engineers'],
      scopes: ['mcp:read'],
      issuer: oidc.url,
    });
    expect([...principal.roles].sort()).toEqual(['admin', 'developer']);
  });

  it('refuses a token claiming the OIDC issuer but signed by another key', async () => {
    const forged = sign({ sub: 'mallory', aud: resource, iss: oidc.url }, ecKeyPair().privateKey, {
      algorithm: 'ES256',
      keyid: 'ext-1',
      expiresIn: 300,
    });
    expect((await refusal(forged)).reason).toBe('invalid-signature');
  });
});
