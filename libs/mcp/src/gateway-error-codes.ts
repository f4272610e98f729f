/**
 * JSON-RPC error codes the gateway itself answers with. Standard codes come from JSON-RPC 2.0;
 * gateway conditions use the implementation-defined server-error range (-32000 to -32099).
 */
export const JsonRpcErrorCode = {
  parseError: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internalError: -32603,
  /** The upstream MCP server is not connected (starting, restarting after a crash, or removed). */
  upstreamUnavailable: -32010,
  /** The upstream did not answer within the call's deadline. */
  upstreamTimeout: -32011,
  /** The router tier could not be reached. */
  routerUnavailable: -32012,
  /** The client cancelled the request (notifications/cancelled). */
  requestCancelled: -32013,
  /** The upstream's circuit breaker is open: it failed repeatedly and is not tried for a while. */
  upstreamCircuitOpen: -32014,
  /** A resource the request names does not exist (MCP 2025-11-25: -32002). */
  resourceNotFound: -32002,
  // The security plane's codes sit outside -32768..-32000: MCP 2026-07-28 reserves -32020..-32099
  // for codes the spec defines and defines none of these. They mirror the HTTP statuses.
  /** The request carried no valid credential (where HTTP cannot answer 401: WebSocket, SSE). */
  authenticationRequired: 401,
  /** Policy denied the request, or the credential lacks a scope it needs. */
  accessDenied: 403,
  /** The tool is quarantined or held for review; an admin must approve its definition. */
  toolUnderReview: 423,
  /** A rate limit or quota refused the request; data.retryAfterMs says when to try again. */
  rateLimited: 429,
} as const;

/** An error with a JSON-RPC code, raised anywhere and mapped once at the MCP edge. */
export class GatewayError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
    this.name = 'GatewayError';
  }
}
