/**
 * The scopes the gateway itself understands: listing tools and resources, calling them, and the
 * admin API. Tenants may define more for their own policies; these are the ones advertised.
 */
export const GatewayScopes = {
  read: 'mcp:read',
  call: 'mcp:call',
  admin: 'admin',
} as const;

export const gatewayScopes: readonly string[] = Object.values(GatewayScopes);
