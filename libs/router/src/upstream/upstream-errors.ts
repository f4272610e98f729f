import { ProtocolError, SdkError, SdkErrorCode, SdkHttpError } from '@modelcontextprotocol/client';
import { GatewayError, JsonRpcErrorCode } from '@gateway/mcp';

/** The upstream answered with a JSON-RPC error: its code, message and data, passed on as they are. */
export class UpstreamRpcError extends GatewayError {
  override readonly name = 'UpstreamRpcError';
}

/** The upstream cannot be reached, went away, or its breaker is open (-32010). Retried when idempotent. */
export class UpstreamUnavailableError extends GatewayError {
  override readonly name = 'UpstreamUnavailableError';

  constructor(server: string, detail: string, data: Record<string, unknown> = {}) {
    super(JsonRpcErrorCode.upstreamUnavailable, `Upstream server "${server}" is unavailable: ${detail}`, {
      server,
      ...data,
    });
  }
}

/** The upstream did not answer within the call's deadline (-32011). */
export class UpstreamTimeoutError extends GatewayError {
  override readonly name = 'UpstreamTimeoutError';

  constructor(server: string, method: string, timeoutMs: number) {
    super(
      JsonRpcErrorCode.upstreamTimeout,
      `Upstream server "${server}" did not answer ${method} within ${timeoutMs} ms`,
      { server, method, timeoutMs },
    );
  }
}

/** The downstream client cancelled the request; the upstream was told (notifications/cancelled). */
export class UpstreamCancelledError extends GatewayError {
  override readonly name = 'UpstreamCancelledError';

  constructor(server: string, method: string) {
    super(JsonRpcErrorCode.internalError, `Request ${method} to upstream server "${server}" was cancelled`, {
      server,
      method,
      cancelled: true,
    });
  }
}

/** HTTP 404 for a request in a session: the upstream no longer knows it (expired or restarted). */
export function isSessionNotFound(error: unknown): boolean {
  return error instanceof SdkHttpError && error.status === 404;
}

export interface FailedCall {
  readonly server: string;
  readonly method: string;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

function describe(error: unknown): string {
  if (error instanceof SdkHttpError) return `HTTP ${error.status} ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

/**
 * What a failed upstream call means for its caller, mapped once: the upstream's own JSON-RPC
 * errors keep their code; everything the gateway observed (timeouts, closed connections, HTTP
 * failures, refused connections) becomes -32010 or -32011 naming the server.
 */
export function toUpstreamFailure(error: unknown, call: FailedCall): GatewayError {
  if (error instanceof GatewayError) return error;
  if (call.signal?.aborted) return new UpstreamCancelledError(call.server, call.method);
  if (error instanceof ProtocolError) {
    return new UpstreamRpcError(error.code, error.message, error.data);
  }
  if (error instanceof SdkError) {
    switch (error.code) {
      case SdkErrorCode.RequestTimeout:
        return new UpstreamTimeoutError(call.server, call.method, call.timeoutMs);
      case SdkErrorCode.ConnectionClosed:
        return new UpstreamUnavailableError(
          call.server,
          `the connection closed while ${call.method} was running`,
        );
      case SdkErrorCode.MethodNotSupportedByProtocolVersion:
      case SdkErrorCode.CapabilityNotSupported:
        return new UpstreamRpcError(JsonRpcErrorCode.methodNotFound, error.message, { server: call.server });
      case SdkErrorCode.InvalidResult:
      case SdkErrorCode.UnsupportedResultType:
        return new UpstreamRpcError(
          JsonRpcErrorCode.internalError,
          `Upstream server "${call.server}" answered ${call.method} with an invalid result: ${error.message}`,
          { server: call.server },
        );
      case SdkErrorCode.InputRequiredRoundsExceeded:
      case SdkErrorCode.ListPaginationExceeded:
        return new UpstreamRpcError(JsonRpcErrorCode.internalError, error.message, { server: call.server });
      case SdkErrorCode.NotConnected:
      case SdkErrorCode.AlreadyConnected:
      case SdkErrorCode.NotInitialized:
      case SdkErrorCode.SendFailed:
      case SdkErrorCode.EraNegotiationFailed:
      case SdkErrorCode.ClientHttpAuthentication:
      case SdkErrorCode.ClientHttpForbidden:
      case SdkErrorCode.ClientHttpNotImplemented:
      case SdkErrorCode.ClientHttpUnexpectedContent:
      case SdkErrorCode.ClientHttpFailedToOpenStream:
      case SdkErrorCode.ClientHttpFailedToTerminateSession:
        return new UpstreamUnavailableError(call.server, describe(error), { method: call.method });
    }
  }
  return new UpstreamUnavailableError(call.server, describe(error), { method: call.method });
}
