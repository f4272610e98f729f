/** Scopes of the MCP endpoints: reading (connect, list, read, get, complete) and calling tools. */
export const McpScopes = {
  read: 'mcp:read',
  call: 'mcp:call',
} as const;

export const mcpScopesSupported = [McpScopes.read, McpScopes.call];

function methodsOf(body: unknown): string[] {
  const messages = Array.isArray(body) ? body : [body];
  return messages
    .map((message) => (message as { method?: unknown } | null)?.method)
    .filter((method): method is string => typeof method === 'string');
}

/**
 * The scopes a request needs. Every MCP request needs mcp:read; calling a tool (the one method
 * with side effects on the upstream's world) needs mcp:call as well, so an agent can start
 * read-only and step up (MCP authorization: insufficient_scope) when it first calls a tool.
 */
export function requiredScopes(body: unknown): string[] {
  return methodsOf(body).includes('tools/call') ? [McpScopes.read, McpScopes.call] : [McpScopes.read];
}

export function missingScopes(granted: readonly string[], required: readonly string[]): string[] {
  return required.filter((scope) => !granted.includes(scope));
}
