import type { ServerCredential, ServerDefinitionValue } from '@gateway/contracts';
import { JsonRpcErrorCode } from '@gateway/mcp';
import { UpstreamAuthenticator } from './upstream.authenticator';

const definition: ServerDefinitionValue = {
  id: 'crm',
  name: 'crm',
  transport: 'streamable-http',
  http: { url: 'https://crm.example/mcp', headers: { 'X-Team': 'sales', authorization: 'Basic old' } },
  enabled: true,
  revision: 1,
};

const tokenEndpoint = {
  tokenUrl: 'https://auth.example/token',
  clientId: 'gateway',
  clientSecret: 'client-secret',
  audience: 'crm',
};

function authenticator(credential: ServerCredential | undefined): UpstreamAuthenticator {
  return new UpstreamAuthenticator(definition, credential, { server: 'crm', tokenTimeoutMs: 1_000 });
}

describe('UpstreamAuthenticator', () => {
  it("sends the server's own headers when it has no credential", async () => {
    const none = authenticator(undefined);
    expect(none.headers).toEqual(definition.http!.headers);
    expect(none.issuesTokens).toBe(false);
    expect(await none.authorization()).toBeUndefined();
  });

  it('puts an API key in its header and a bearer token in Authorization, once for every request', async () => {
    expect(authenticator({ kind: 'api-key', header: 'X-Api-Key', value: 'k-1' }).headers).toEqual({
      'X-Team': 'sales',
      authorization: 'Basic old',
      'X-Api-Key': 'k-1',
    });
    const bearer = authenticator({ kind: 'bearer', token: 't-1' });
    expect(bearer.headers).toEqual({ 'X-Team': 'sales', Authorization: 'Bearer t-1' });
    expect(bearer.issuesTokens).toBe(false);
    expect(await bearer.upgradeCredentials()).toEqual({ headers: bearer.headers });
  });

  it('gives a stdio process the variables of an env credential', () => {
    expect(authenticator({ kind: 'env', variables: { GITHUB_TOKEN: 'g-1' } }).environment).toEqual({
      GITHUB_TOKEN: 'g-1',
    });
  });

  it('obtains tokens for the OAuth kinds instead of sending a static Authorization', () => {
    for (const kind of ['oauth-client-credentials', 'token-exchange'] as const) {
      const oauth = authenticator({ kind, ...tokenEndpoint });
      expect(oauth.issuesTokens).toBe(true);
      expect(oauth.headers).toEqual(definition.http!.headers);
    }
  });

  it('refuses to act for a caller that has no token to exchange, before any request', async () => {
    const exchange = authenticator({ kind: 'token-exchange', ...tokenEndpoint });
    const refusal = exchange.actingFor({ principal: 'agent:build-bot', subjectToken: '' }, () =>
      exchange.authorization(),
    );
    await expect(refusal).rejects.toMatchObject({
      code: JsonRpcErrorCode.accessDenied,
      message: expect.stringContaining('presented no token to exchange') as unknown,
    });
  });
});
