import { Controller, Get, Header, Inject, Param } from '@nestjs/common';
import { Public, SECURITY_CONFIG, type SecurityConfig } from '@gateway/security';
import { McpAuthenticator } from './mcp-authenticator';
import { mcpScopesSupported } from './mcp-scopes';

/**
 * RFC 9728 Protected Resource Metadata for the gateway's MCP endpoint and each virtual server's:
 * which authorization servers issue tokens for it and which scopes it knows. MCP clients find it
 * from the 401's WWW-Authenticate header, or at the well-known URL itself.
 */
@Controller('.well-known')
@Public('RFC 9728: clients read the protected resource metadata before they have a token')
export class ProtectedResourceController {
  constructor(
    private readonly authenticator: McpAuthenticator,
    @Inject(SECURITY_CONFIG) private readonly security: SecurityConfig,
  ) {}

  @Get(['oauth-protected-resource', 'oauth-protected-resource/mcp'])
  @Header('Cache-Control', 'public, max-age=300')
  gateway(): Record<string, unknown> {
    return this.metadata(undefined);
  }

  @Get('oauth-protected-resource/servers/:view/mcp')
  @Header('Cache-Control', 'public, max-age=300')
  virtualServer(@Param('view') view: string): Record<string, unknown> {
    return this.metadata(view);
  }

  private metadata(view: string | undefined): Record<string, unknown> {
    return {
      resource: this.authenticator.resourceOf(view),
      authorization_servers: [
        this.security.issuer,
        ...this.security.oidcProviders.map((provider) => provider.issuer),
      ],
      scopes_supported: mcpScopesSupported,
      bearer_methods_supported: ['header'],
      resource_name: view ? `MCP gateway: ${view}` : 'MCP gateway',
    };
  }
}
