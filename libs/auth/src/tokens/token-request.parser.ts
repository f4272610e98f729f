import { OAuthError } from './oauth-error';

/* Reading token and revocation requests (RFC 6749 §2.3.1, §3.2, §4.4; RFC 8693 §2.1; RFC 7009 §2.1). */

export const GrantTypes = {
  clientCredentials: 'client_credentials',
  tokenExchange: 'urn:ietf:params:oauth:grant-type:token-exchange',
} as const;

export const TokenTypes = {
  accessToken: 'urn:ietf:params:oauth:token-type:access_token',
  jwt: 'urn:ietf:params:oauth:token-type:jwt',
} as const;

/** The parameters of a form body, each with every value it was given. */
export type FormParameters = ReadonlyMap<string, readonly string[]>;

export interface ClientCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly method: 'client_secret_basic' | 'client_secret_post';
}

/** RFC 8707 and RFC 8693 let `resource` and `audience` repeat; every other parameter is given once. */
const repeatable = new Set(['resource', 'audience']);

/** The form body as parsed by the urlencoded parser, checked to hold only text values. */
export function formParameters(body: unknown): FormParameters {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new OAuthError('invalid_request', 'expected an application/x-www-form-urlencoded body');
  }
  const parameters = new Map<string, string[]>();
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    const values = Array.isArray(value) ? (value as unknown[]) : [value];
    if (!values.every((item): item is string => typeof item === 'string')) {
      throw new OAuthError('invalid_request', `parameter ${name} is not a plain value`);
    }
    if (values.length > 1 && !repeatable.has(name)) {
      throw new OAuthError('invalid_request', `parameter ${name} is given more than once`);
    }
    // RFC 6749 §3.1: parameters sent without a value are treated as omitted.
    const present = values.filter((item) => item !== '');
    if (present.length > 0) parameters.set(name, present);
  }
  return parameters;
}

export function parameter(form: FormParameters, name: string): string | undefined {
  return form.get(name)?.[0];
}

export function requiredParameter(form: FormParameters, name: string): string {
  const value = parameter(form, name);
  if (value === undefined) throw new OAuthError('invalid_request', `parameter ${name} is missing`);
  return value;
}

function basicCredentials(authorization: string): ClientCredentials {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization);
  const decoded = match ? Buffer.from(match[1]!, 'base64').toString('utf8') : '';
  const separator = decoded.indexOf(':');
  if (separator < 1) {
    throw new OAuthError('invalid_client', 'the Authorization header is not Basic client_id:client_secret');
  }
  try {
    // RFC 6749 §2.3.1: both parts are form-urlencoded before they are joined.
    const decode = (part: string): string => decodeURIComponent(part.replaceAll('+', ' '));
    return {
      clientId: decode(decoded.slice(0, separator)),
      clientSecret: decode(decoded.slice(separator + 1)),
      method: 'client_secret_basic',
    };
  } catch {
    throw new OAuthError('invalid_client', 'the Basic credentials are not form-urlencoded');
  }
}

/**
 * The client's credentials from HTTP Basic or the body (client_secret_post); undefined when it
 * sent none. RFC 6749 §2.3: a client must not use more than one method in a request.
 */
export function clientCredentials(
  authorization: string | undefined,
  form: FormParameters,
): ClientCredentials | undefined {
  const postedId = parameter(form, 'client_id');
  const postedSecret = parameter(form, 'client_secret');
  if (authorization) {
    if (postedSecret !== undefined) {
      throw new OAuthError(
        'invalid_request',
        'the client authenticated with both HTTP Basic and client_secret',
      );
    }
    const basic = basicCredentials(authorization);
    if (postedId !== undefined && postedId !== basic.clientId) {
      throw new OAuthError(
        'invalid_request',
        'client_id differs from the client of the Authorization header',
      );
    }
    return basic;
  }
  if (postedId === undefined && postedSecret === undefined) return undefined;
  if (postedId === undefined || postedSecret === undefined) {
    throw new OAuthError('invalid_client', 'client_secret_post needs both client_id and client_secret');
  }
  return { clientId: postedId, clientSecret: postedSecret, method: 'client_secret_post' };
}

/** RFC 6749 §3.3: the scope parameter is a space-delimited list; an absent one is undefined. */
export function requestedScopes(form: FormParameters): string[] | undefined {
  const scope = parameter(form, 'scope');
  if (scope === undefined) return undefined;
  const scopes = scope.split(' ').filter(Boolean);
  return scopes.length > 0 ? [...new Set(scopes)] : undefined;
}
