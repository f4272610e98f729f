import type { IssuedToken } from './access-token.cache';

/** An OAuth 2.0 client of a token endpoint, as a server credential configures it. */
export interface TokenEndpointClient {
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scope?: string;
  readonly audience?: string;
  readonly resource?: string;
}

/**
 * The token endpoint did not issue a token. `refusedGrant` is true when it answered and refused
 * what was asked (anything but the client's own authentication); the message holds the endpoint,
 * the HTTP status and the OAuth error code, never a secret or a token.
 */
export class TokenEndpointError extends Error {
  override readonly name = 'TokenEndpointError';

  constructor(
    message: string,
    readonly refusedGrant: boolean,
  ) {
    super(message);
  }
}

/** RFC 6749 §2.3.1: client id and secret are form-encoded before they are joined and base64-encoded. */
function basicAuthorization(client: TokenEndpointClient): string {
  const encode = (value: string): string => encodeURIComponent(value).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(client.clientId)}:${encode(client.clientSecret)}`).toString('base64')}`;
}

/** The endpoint as it may appear in a message: no query string, no user info. */
function endpointName(tokenUrl: string): string {
  const url = new URL(tokenUrl);
  return `${url.origin}${url.pathname}`;
}

function issuedToken(body: unknown, endpoint: string): IssuedToken {
  const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const accessToken = fields['access_token'];
  const tokenType = fields['token_type'];
  if (typeof accessToken !== 'string' || accessToken === '') {
    throw new TokenEndpointError(`token endpoint ${endpoint} answered without an access_token`, false);
  }
  if (typeof tokenType !== 'string' || tokenType.toLowerCase() !== 'bearer') {
    throw new TokenEndpointError(
      `token endpoint ${endpoint} issued a token of type ${String(tokenType)}; only Bearer tokens can be sent`,
      false,
    );
  }
  const expiresIn = Number(fields['expires_in']);
  return Number.isFinite(expiresIn) && expiresIn > 0
    ? { accessToken, expiresInMs: expiresIn * 1000 }
    : { accessToken };
}

/**
 * One token request (RFC 6749 §4.4 client credentials, RFC 8693 token exchange): the grant's
 * parameters with the client's scope, audience and resource, form-encoded, the client
 * authenticated with HTTP Basic.
 */
export async function requestToken(
  client: TokenEndpointClient,
  grant: Readonly<Record<string, string>>,
  timeoutMs: number,
): Promise<IssuedToken> {
  const endpoint = endpointName(client.tokenUrl);
  const form = new URLSearchParams(grant);
  if (client.scope) form.set('scope', client.scope);
  if (client.audience) form.set('audience', client.audience);
  if (client.resource) form.set('resource', client.resource);
  let response: Response;
  try {
    response = await fetch(client.tokenUrl, {
      method: 'POST',
      headers: {
        authorization: basicAuthorization(client),
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: form,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new TokenEndpointError(
      `token endpoint ${endpoint} unreachable: ${(error as Error).message}`,
      false,
    );
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const code = (body as { error?: unknown } | undefined)?.error;
    const oauthError = typeof code === 'string' ? ` ${code}` : '';
    throw new TokenEndpointError(
      `token endpoint ${endpoint} refused the ${grant['grant_type']} grant: HTTP ${response.status}${oauthError}`,
      (response.status === 400 || response.status === 403) && code !== 'invalid_client',
    );
  }
  return issuedToken(body, endpoint);
}
