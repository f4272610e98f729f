import type { ServerResponse } from 'node:http';

/** Answers an HTTP request the transports never see with a JSON-RPC error body (id unknown: null). */
export function writeJsonRpcError(
  response: ServerResponse,
  status: number,
  code: number,
  message: string,
): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code, message } }));
}
