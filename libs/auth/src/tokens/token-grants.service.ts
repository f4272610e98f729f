import { Inject, Injectable } from '@nestjs/common';
import { AUTH_CONFIG, type AuthConfig } from '../auth-config';
import {
  type AuthenticatedClient,
  ClientAuthenticator,
  type ClientOrigin,
} from '../clients/client-authenticator.service';
import { OAuthError } from './oauth-error';
import { grantedScopes, tokenAudience } from './token-claims';
import { type IssuedToken, TokenIssuer } from './token-issuer.service';
import {
  type ClientCredentials,
  type FormParameters,
  GrantTypes,
  parameter,
  requestedScopes,
  requiredParameter,
  TokenTypes,
} from './token-request.parser';
import { TokenRevocationService } from './token-revocation.service';

/** RFC 6749 §5.1 and RFC 8693 §2.2.1. */
export interface TokenResponse {
  readonly access_token: string;
  readonly token_type: 'Bearer';
  readonly expires_in: number;
  readonly scope: string;
  readonly issued_token_type?: string;
}

const exchangeableTypes: readonly string[] = [TokenTypes.accessToken, TokenTypes.jwt];

function tokenResponse(issued: IssuedToken, issuedTokenType?: string): TokenResponse {
  return {
    access_token: issued.accessToken,
    token_type: 'Bearer',
    expires_in: issued.expiresIn,
    scope: issued.claims.scope,
    ...(issuedTokenType && { issued_token_type: issuedTokenType }),
  };
}

/** The grants of the token endpoint (client credentials, token exchange) and token revocation. */
@Injectable()
export class TokenGrantsService {
  constructor(
    private readonly clients: ClientAuthenticator,
    private readonly issuer: TokenIssuer,
    private readonly revocations: TokenRevocationService,
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
  ) {}

  /** Authenticates the client first, so an unauthenticated caller learns nothing of the request's fate. */
  async token(
    form: FormParameters,
    credentials: ClientCredentials | undefined,
    origin: ClientOrigin,
  ): Promise<TokenResponse> {
    const client = await this.clients.authenticate(credentials, origin);
    const grantType = requiredParameter(form, 'grant_type');
    switch (grantType) {
      case GrantTypes.clientCredentials:
        return this.clientCredentials(client, form);
      case GrantTypes.tokenExchange:
        return this.exchange(client, form);
      default:
        throw new OAuthError('unsupported_grant_type', `grant_type ${grantType} is not supported`);
    }
  }

  /** RFC 7009: a client revokes a token it was issued. Tokens that are not valid need no revoking. */
  async revoke(
    form: FormParameters,
    credentials: ClientCredentials | undefined,
    origin: ClientOrigin,
  ): Promise<void> {
    const client = await this.clients.authenticate(credentials, origin);
    const verdict = await this.issuer.verify(requiredParameter(form, 'token'));
    if (!verdict.valid) return;
    if (verdict.claims.client_id !== client.clientId) {
      throw new OAuthError('unauthorized_client', 'the token was not issued to this client');
    }
    await this.revocations.revoke({
      jti: verdict.claims.jti,
      tenant: verdict.claims.tenant,
      expiresAt: new Date(verdict.claims.exp * 1000),
    });
  }

  /** RFC 6749 §4.4: the agent gets a token about itself, with scopes it is allowed. */
  private async clientCredentials(client: AuthenticatedClient, form: FormParameters): Promise<TokenResponse> {
    const scopes = grantedScopes(requestedScopes(form), client.agent.scopes);
    const audience = tokenAudience(form.get('resource') ?? [], [], this.config);
    const issued = await this.issuer.issue({
      subject: {
        id: client.principalId,
        tenant: client.agent.tenant,
        kind: 'agent',
        roles: client.access.roles,
        teams: client.access.teams,
      },
      audience,
      scopes,
      clientId: client.clientId,
    });
    return tokenResponse(issued);
  }

  /**
   * RFC 8693: the client acts for the subject of a token of this issuer, towards a new audience,
   * with at most the subject token's scopes and never for longer than it lives.
   */
  private async exchange(client: AuthenticatedClient, form: FormParameters): Promise<TokenResponse> {
    const subjectToken = requiredParameter(form, 'subject_token');
    const subjectTokenType = requiredParameter(form, 'subject_token_type');
    if (!exchangeableTypes.includes(subjectTokenType)) {
      throw new OAuthError('invalid_request', `subject_token_type ${subjectTokenType} is not supported`);
    }
    const requestedType = parameter(form, 'requested_token_type');
    if (requestedType !== undefined && !exchangeableTypes.includes(requestedType)) {
      throw new OAuthError('invalid_request', `requested_token_type ${requestedType} is not supported`);
    }
    if (parameter(form, 'actor_token') !== undefined) {
      throw new OAuthError(
        'invalid_request',
        'actor_token is not supported: the authenticated client is the actor',
      );
    }
    const verdict = await this.issuer.verify(subjectToken);
    if (!verdict.valid) throw new OAuthError('invalid_grant', `subject_token: ${verdict.reason}`);
    const subject = verdict.claims;
    if (subject.tenant !== client.agent.tenant) {
      throw new OAuthError(
        'invalid_grant',
        'subject_token: the subject is in another tenant than the client',
      );
    }
    const scopes = grantedScopes(requestedScopes(form), subject.scope.split(' ').filter(Boolean));
    const audience = tokenAudience(form.get('resource') ?? [], form.get('audience') ?? [], this.config);
    const issued = await this.issuer.issue({
      subject: {
        id: subject.sub,
        tenant: subject.tenant,
        kind: subject.kind,
        roles: subject.roles,
        teams: subject.teams,
      },
      audience,
      scopes,
      clientId: client.clientId,
      actor: { sub: client.principalId, ...(subject.act && { act: subject.act }) },
      notAfter: subject.exp,
    });
    return tokenResponse(issued, requestedType ?? TokenTypes.accessToken);
  }
}
