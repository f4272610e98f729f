/** Error codes of RFC 6749 §5.2, RFC 7009 §2.2.1, RFC 8707 §2 and RFC 8693 §2.2.2. */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'invalid_target'
  | 'unsupported_token_type'
  | 'temporarily_unavailable'
  | 'server_error';

/** A refusal of the token or revocation endpoint, answered as RFC 6749 §5.2 JSON. */
export class OAuthError extends Error {
  override readonly name = 'OAuthError';

  constructor(
    readonly code: OAuthErrorCode,
    readonly description: string,
  ) {
    super(`${code}: ${description}`);
  }
}

export interface OAuthErrorResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: { readonly error: OAuthErrorCode; readonly error_description: string };
}

/** RFC 6749 §5.1: token endpoint answers must never be cached. */
export const noStoreHeaders = { 'Cache-Control': 'no-store', Pragma: 'no-cache' } as const;

function statusOf(code: OAuthErrorCode): number {
  switch (code) {
    case 'invalid_client':
      return 401;
    case 'temporarily_unavailable':
      return 503;
    case 'server_error':
      return 500;
    case 'invalid_request':
    case 'invalid_grant':
    case 'unauthorized_client':
    case 'unsupported_grant_type':
    case 'invalid_scope':
    case 'invalid_target':
    case 'unsupported_token_type':
      return 400;
  }
}

/**
 * The HTTP answer to a refusal. invalid_client is a 401 with a Basic challenge (RFC 6749 §5.2),
 * whichever way the client authenticated, so every client learns how to retry.
 */
export function oauthErrorResponse(error: OAuthError): OAuthErrorResponse {
  const status = statusOf(error.code);
  return {
    status,
    headers: {
      ...noStoreHeaders,
      ...(status === 401 && { 'WWW-Authenticate': 'Basic realm="oauth", charset="UTF-8"' }),
    },
    body: { error: error.code, error_description: error.description },
  };
}
