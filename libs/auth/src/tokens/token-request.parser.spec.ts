import { OAuthError, oauthErrorResponse } from './oauth-error';
import {
  clientCredentials,
  formParameters,
  requestedScopes,
  requiredParameter,
} from './token-request.parser';

function basic(clientId: string, secret: string): string {
  return `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`;
}

function refusal(run: () => unknown): { code: string; description: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof OAuthError) return { code: error.code, description: error.description };
    throw error;
  }
  throw new Error('expected an OAuthError');
}

describe('RFC 6749 §5.2 error answers', () => {
  it('answer 400 with error and error_description, never cached', () => {
    expect(oauthErrorResponse(new OAuthError('invalid_scope', 'not allowed: root'))).toEqual({
      status: 400,
      headers: { 'Cache-Control': 'no-store', Pragma: 'no-cache' },
      body: { error: 'invalid_scope', error_description: 'not allowed: root' },
    });
  });

  it('answer invalid_client with 401 and a Basic challenge', () => {
    const answer = oauthErrorResponse(new OAuthError('invalid_client', 'client authentication failed'));
    expect(answer.status).toBe(401);
    expect(answer.headers['WWW-Authenticate']).toMatch(/^Basic realm="[^"]+"/);
    expect(answer.body).toEqual({
      error: 'invalid_client',
      error_description: 'client authentication failed',
    });
  });

  it.each([
    ['invalid_request', 400],
    ['invalid_grant', 400],
    ['unauthorized_client', 400],
    ['unsupported_grant_type', 400],
    ['invalid_target', 400],
    ['temporarily_unavailable', 503],
    ['server_error', 500],
  ] as const)('answer %s with %i and no challenge', (code, status) => {
    const answer = oauthErrorResponse(new OAuthError(code, 'why'));
    expect(answer.status).toBe(status);
    expect(answer.headers['WWW-Authenticate']).toBeUndefined();
  });
});

describe('token request parameters', () => {
  it('reads each parameter once, treating empty ones as absent (§3.1)', () => {
    const form = formParameters({ grant_type: 'client_credentials', scope: '' });
    expect(requiredParameter(form, 'grant_type')).toBe('client_credentials');
    expect(requestedScopes(form)).toBeUndefined();
    expect(refusal(() => requiredParameter(form, 'subject_token'))).toEqual({
      code: 'invalid_request',
      description: 'parameter subject_token is missing',
    });
  });

  it('refuses a parameter given twice (§3.2), except resource and audience', () => {
    expect(refusal(() => formParameters({ grant_type: ['client_credentials', 'password'] }))).toEqual({
      code: 'invalid_request',
      description: 'parameter grant_type is given more than once',
    });
    const form = formParameters({ resource: ['https://a.example.com/', 'https://b.example.com/'] });
    expect(form.get('resource')).toEqual(['https://a.example.com/', 'https://b.example.com/']);
  });

  it('refuses bodies that are not a flat form', () => {
    expect(refusal(() => formParameters(undefined)).code).toBe('invalid_request');
    expect(refusal(() => formParameters({ scope: { nested: 'x' } })).code).toBe('invalid_request');
  });

  it('splits the scope on spaces, each scope once', () => {
    expect(requestedScopes(formParameters({ scope: 'mcp:read  mcp:call mcp:read' }))).toEqual([
      'mcp:read',
      'mcp:call',
    ]);
  });
});

describe('client authentication (§2.3.1)', () => {
  it('reads HTTP Basic, form-urlencoded before base64', () => {
    const header = basic('agt_1', encodeURIComponent('s3cr:t+/'));
    expect(clientCredentials(header, formParameters({}))).toEqual({
      clientId: 'agt_1',
      clientSecret: 's3cr:t+/',
      method: 'client_secret_basic',
    });
  });

  it('reads client_secret_post', () => {
    expect(clientCredentials(undefined, formParameters({ client_id: 'agt_1', client_secret: 'x' }))).toEqual({
      clientId: 'agt_1',
      clientSecret: 'x',
      method: 'client_secret_post',
    });
  });

  it('is absent when the client sent none', () => {
    expect(
      clientCredentials(undefined, formParameters({ grant_type: 'client_credentials' })),
    ).toBeUndefined();
  });

  it('refuses two methods at once with invalid_request', () => {
    const form = formParameters({ client_id: 'agt_1', client_secret: 'x' });
    expect(refusal(() => clientCredentials(basic('agt_1', 'x'), form)).code).toBe('invalid_request');
  });

  it('refuses malformed credentials with invalid_client', () => {
    expect(refusal(() => clientCredentials('Bearer abc', formParameters({}))).code).toBe('invalid_client');
    expect(refusal(() => clientCredentials(basic('', 'x'), formParameters({}))).code).toBe('invalid_client');
    expect(refusal(() => clientCredentials(undefined, formParameters({ client_id: 'agt_1' }))).code).toBe(
      'invalid_client',
    );
  });
});
