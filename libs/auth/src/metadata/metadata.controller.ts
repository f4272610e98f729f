import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Public } from '@gateway/security';
import { AUTH_CONFIG, type AuthConfig } from '../auth-config';
import { SigningKeysService } from '../signing-keys/signing-keys.service';
import { gatewayScopes } from '../tokens/gateway-scopes';
import { GrantTypes } from '../tokens/token-request.parser';

/**
 * Verifiers cache the JWKS this long. A new key is published ten minutes before it signs (see
 * rotation-plan.ts), so a verifier that refreshes on this schedule has it in time.
 */
const jwksMaxAgeSeconds = 300;

const clientAuthMethods = ['client_secret_basic', 'client_secret_post'];

/** RFC 8414 authorization server metadata. */
export interface AuthorizationServerMetadata {
  readonly issuer: string;
  readonly token_endpoint: string;
  readonly jwks_uri: string;
  readonly revocation_endpoint: string;
  readonly grant_types_supported: readonly string[];
  readonly token_endpoint_auth_methods_supported: readonly string[];
  readonly revocation_endpoint_auth_methods_supported: readonly string[];
  readonly scopes_supported: readonly string[];
  /** No authorization endpoint: clients use client credentials or token exchange only. */
  readonly response_types_supported: readonly string[];
}

/** The issuer's public keys and its RFC 8414 metadata, with URLs built from AUTH_ISSUER. */
@Controller('.well-known')
@Public('JWKS and OAuth authorization server metadata are public by RFC 7517 and RFC 8414')
export class MetadataController {
  constructor(
    private readonly signingKeys: SigningKeysService,
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
  ) {}

  @Get('jwks.json')
  jwks(@Res({ passthrough: true }) response: Response): { keys: Record<string, string>[] } {
    const keys = this.signingKeys.liveKeys(new Date()).map((key) => key.publicJwk);
    // An empty set (before the first key is ready) must not be cached by anyone.
    response.set('Cache-Control', keys.length > 0 ? `public, max-age=${jwksMaxAgeSeconds}` : 'no-store');
    return { keys };
  }

  @Get('oauth-authorization-server')
  @Header('Cache-Control', `public, max-age=${jwksMaxAgeSeconds}`)
  authorizationServer(): AuthorizationServerMetadata {
    const issuer = this.config.issuer;
    return {
      issuer,
      token_endpoint: `${issuer}/oauth/token`,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      revocation_endpoint: `${issuer}/oauth/revoke`,
      grant_types_supported: [GrantTypes.clientCredentials, GrantTypes.tokenExchange],
      token_endpoint_auth_methods_supported: clientAuthMethods,
      revocation_endpoint_auth_methods_supported: clientAuthMethods,
      scopes_supported: gatewayScopes,
      response_types_supported: [],
    };
  }
}
