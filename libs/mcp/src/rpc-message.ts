import { GatewayError, JsonRpcErrorCode } from './gateway-error-codes';

/** A JSON-RPC message as it travels between the gateway's tiers (request, notification or response). */
export interface RpcMessage {
  readonly jsonrpc: '2.0';
  readonly id?: string | number;
  readonly method?: string;
  readonly params?: Record<string, unknown>;
  readonly result?: unknown;
  readonly error?: { code: number; message: string; data?: unknown };
}

/** The error response to a request that failed: a gateway error keeps its code, anything else is internal. */
export function errorReply(id: string | number | undefined, error: unknown): RpcMessage {
  return {
    jsonrpc: '2.0',
    id,
    error: {
      code: error instanceof GatewayError ? error.code : JsonRpcErrorCode.internalError,
      message: error instanceof Error ? error.message : String(error),
    },
  };
}
