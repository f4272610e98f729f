import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import type { ServerCredential, ServerDefinitionValue } from '@gateway/contracts';
import { GatewayError, JsonRpcErrorCode } from '@gateway/mcp';
import type { EnvelopeCipher } from '@gateway/security';
import { AccessTokenCache, type IssuedToken } from './access-token.cache';
import { openServerCredential, UpstreamCredentialError } from './server-credential.opener';
import { requestToken, type TokenEndpointClient, TokenEndpointError } from './token-endpoint.client';
import { UpstreamUnavailableError } from './upstream-errors';
import type { UpgradeCredentials } from './websocket-client.transport';
import type { UpstreamCaller } from './upstream-session';

const clientCredentialsGrant = 'client_credentials';
const tokenExchangeGrant = 'urn:ietf:params:oauth:grant-type:token-exchange';
const accessTokenType = 'urn:ietf:params:oauth:token-type:access_token';

/**
 * Whom the requests of the running async flow are made for. The MCP transports call fetch with
 * no word of the request behind it, so the caller travels beside the flow instead of through it.
 */
const requestScope = new AsyncLocalStorage<{ readonly caller: UpstreamCaller | undefined }>();

/** A token put on a request, and what to drop if the upstream refuses it. */
export interface TokenUse {
  readonly key: string;
  readonly token: string;
  readonly authorization: string;
}

export interface UpstreamAuthenticatorOptions {
  readonly server: string;
  /** How long a token request may take. */
  readonly tokenTimeoutMs: number;
  readonly cache?: AccessTokenCache;
}

/** `headers` with `name` set to `value`, replacing a header of the same name in any case. */
function withHeader(headers: Record<string, string>, name: string, value: string): Record<string, string> {
  const others = Object.entries(headers).filter(([other]) => other.toLowerCase() !== name.toLowerCase());
  return { ...Object.fromEntries(others), [name]: value };
}

function staticHeaders(
  definition: ServerDefinitionValue,
  credential: ServerCredential | undefined,
): Record<string, string> {
  const headers = { ...definition.http?.headers };
  if (credential?.kind === 'api-key') return withHeader(headers, credential.header, credential.value);
  if (credential?.kind === 'bearer')
    return withHeader(headers, 'Authorization', `Bearer ${credential.token}`);
  return headers;
}

function fingerprint(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/**
 * How the gateway authenticates to one upstream server (one revision of its definition): the
 * static headers (its own, an API key, a bearer token) computed once; the variables of a stdio
 * process; or a token per request from the credential's token endpoint, cached until shortly
 * before it expires. With token exchange, each caller's requests carry a token issued for that
 * caller in exchange for their own (RFC 8693), which the upstream never sees; the gateway's own
 * requests (catalog lists, health checks, shared sessions) carry a client credentials token of
 * the same client.
 */
export class UpstreamAuthenticator {
  readonly headers: Readonly<Record<string, string>>;
  readonly environment: Readonly<Record<string, string>>;
  private readonly client: TokenEndpointClient | undefined;
  private readonly exchanges: boolean;
  private readonly tokens: AccessTokenCache;

  constructor(
    definition: ServerDefinitionValue,
    credential: ServerCredential | undefined,
    private readonly options: UpstreamAuthenticatorOptions,
  ) {
    this.headers = staticHeaders(definition, credential);
    this.environment = credential?.kind === 'env' ? { ...credential.variables } : {};
    const issuing = credential?.kind === 'oauth-client-credentials' || credential?.kind === 'token-exchange';
    this.client = issuing ? credential : undefined;
    this.exchanges = credential?.kind === 'token-exchange';
    this.tokens = options.cache ?? new AccessTokenCache();
  }

  /** Whether requests carry tokens from a token endpoint (beyond the static headers). */
  get issuesTokens(): boolean {
    return this.client !== undefined;
  }

  /**
   * Runs `work` on behalf of `caller`, or of the gateway itself when undefined: on a
   * token-exchange server, what every upstream request `work` causes is authenticated as.
   */
  actingFor<T>(caller: UpstreamCaller | undefined, work: () => T): T {
    return this.exchanges ? requestScope.run({ caller }, work) : work();
  }

  /** The Authorization of the next request; undefined when the credential has no token endpoint. */
  async authorization(): Promise<TokenUse | undefined> {
    const client = this.client;
    if (!client) return undefined;
    const caller = this.exchanges ? requestScope.getStore()?.caller : undefined;
    if (!caller) return this.use('gateway', client, { grant_type: clientCredentialsGrant }, false);
    if (!caller.subjectToken) {
      throw new GatewayError(
        JsonRpcErrorCode.accessDenied,
        `Upstream server "${this.options.server}" is called with the caller's own identity (token ` +
          'exchange), and this caller presented no token to exchange (an API key cannot be exchanged)',
        { server: this.options.server },
      );
    }
    const key = `exchange:${client.audience ?? ''}:${client.resource ?? ''}:${fingerprint(caller.subjectToken)}`;
    const grant = {
      grant_type: tokenExchangeGrant,
      subject_token: caller.subjectToken,
      subject_token_type: accessTokenType,
      requested_token_type: accessTokenType,
    };
    return this.use(key, client, grant, true);
  }

  /** The upstream refused the token (401): the next request gets a new one. */
  refused(use: TokenUse): void {
    this.tokens.invalidate(use.key, use.token);
  }

  /** Every header of a request at once, the issued Authorization included (a WebSocket upgrade). */
  async upgradeCredentials(): Promise<UpgradeCredentials> {
    const use = await this.authorization();
    if (!use) return { headers: this.headers };
    return {
      headers: withHeader({ ...this.headers }, 'Authorization', use.authorization),
      refused: () => this.refused(use),
    };
  }

  private async use(
    key: string,
    client: TokenEndpointClient,
    grant: Record<string, string>,
    forCaller: boolean,
  ): Promise<TokenUse> {
    const token = await this.tokens.get(key, () => this.issue(client, grant, forCaller));
    return { key, token, authorization: `Bearer ${token}` };
  }

  private async issue(
    client: TokenEndpointClient,
    grant: Record<string, string>,
    forCaller: boolean,
  ): Promise<IssuedToken> {
    const server = this.options.server;
    try {
      return await requestToken(client, grant, this.options.tokenTimeoutMs);
    } catch (error) {
      if (!(error instanceof TokenEndpointError)) throw error;
      // A refused exchange is about this caller (their token, their audience), not the server.
      if (forCaller && error.refusedGrant) {
        throw new GatewayError(
          JsonRpcErrorCode.accessDenied,
          `Upstream server "${server}" cannot be called for this caller: ${error.message}`,
          { server },
        );
      }
      throw new UpstreamUnavailableError(server, `no token for it: ${error.message}`);
    }
  }
}

/**
 * The authenticator of a server definition, its credentials opened with `cipher`; when they
 * cannot be opened, one without them and the reason (the server must not be connected then).
 */
export function authenticatorFor(
  definition: ServerDefinitionValue,
  cipher: EnvelopeCipher | undefined,
  options: UpstreamAuthenticatorOptions,
): { authenticator: UpstreamAuthenticator; problem?: string } {
  try {
    const credential = openServerCredential(definition, cipher);
    return { authenticator: new UpstreamAuthenticator(definition, credential, options) };
  } catch (error) {
    if (!(error instanceof UpstreamCredentialError)) throw error;
    return {
      authenticator: new UpstreamAuthenticator(definition, undefined, options),
      problem: error.message,
    };
  }
}
