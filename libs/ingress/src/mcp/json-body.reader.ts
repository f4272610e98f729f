import type { IncomingMessage } from 'node:http';
import getRawBody from 'raw-body';
import { GatewayError, JsonRpcErrorCode } from '@gateway/mcp';

/** A request body the MCP endpoint refuses, with the HTTP status it is answered with. */
export class BodyRejectedError extends GatewayError {
  constructor(
    readonly httpStatus: number,
    code: number,
    message: string,
  ) {
    super(code, message);
    this.name = 'BodyRejectedError';
  }
}

/** Reads and parses a JSON-RPC body, refusing bodies past the limit (413) and malformed JSON (400). */
export async function readJsonBody(request: IncomingMessage, limitBytes: number): Promise<unknown> {
  let text: string;
  try {
    text = await getRawBody(request, { limit: limitBytes, encoding: 'utf8' });
  } catch (error) {
    if ((error as { type?: string }).type === 'entity.too.large') {
      throw new BodyRejectedError(
        413,
        JsonRpcErrorCode.invalidRequest,
        `Request body exceeds ${limitBytes} bytes`,
      );
    }
    throw new BodyRejectedError(
      400,
      JsonRpcErrorCode.invalidRequest,
      `Request body could not be read: ${(error as Error).message}`,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BodyRejectedError(400, JsonRpcErrorCode.parseError, 'Parse error: body is not valid JSON');
  }
}
