import { GatewayError, JsonRpcErrorCode } from '@gateway/mcp';
import type { UpstreamRequestHooks } from './upstream-session';

type Result = Record<string, unknown>;

export function isInputRequired(result: Result): boolean {
  return result['resultType'] === 'input_required';
}

export interface InputRequiredRounds {
  readonly server: string;
  readonly method: string;
  readonly params: Record<string, unknown> | undefined;
  readonly hooks: UpstreamRequestHooks | undefined;
  readonly maxRounds: number;
  /** Sends the original request again with the round's inputResponses / requestState. */
  readonly retry: (params: Record<string, unknown>) => Promise<Result>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Serves a 2025-era caller of a 2026-07-28 upstream (MCP multi round-trip requests): each
 * `input_required` answer's embedded requests (elicitation/create, sampling/createMessage,
 * roots/list) go to the caller's hooks as server-to-client requests, as a 2025 server would send
 * them, and the original request is sent again with the answers and the opaque request state,
 * echoed byte for byte, until the upstream completes or `maxRounds` is reached.
 */
export async function resolveInputRequired(first: Result, rounds: InputRequiredRounds): Promise<Result> {
  let result = first;
  for (let round = 1; isInputRequired(result); round += 1) {
    if (round > rounds.maxRounds) {
      throw new GatewayError(
        JsonRpcErrorCode.internalError,
        `Upstream server "${rounds.server}" still required input for ${rounds.method} after ${rounds.maxRounds} rounds`,
        { server: rounds.server, rounds: rounds.maxRounds },
      );
    }
    const requests = isRecord(result['inputRequests']) ? Object.entries(result['inputRequests']) : [];
    if (requests.length > 0 && !rounds.hooks) {
      throw new GatewayError(
        JsonRpcErrorCode.internalError,
        `Upstream server "${rounds.server}" needs client input for ${rounds.method}, but the request cannot ask its client`,
        { server: rounds.server },
      );
    }
    const answers = await Promise.all(
      requests.map(async ([key, request]) => {
        const embedded = isRecord(request) ? request : {};
        const method = typeof embedded['method'] === 'string' ? embedded['method'] : '';
        const params = isRecord(embedded['params']) ? embedded['params'] : undefined;
        return [key, await rounds.hooks!.onRequest({ method, ...(params && { params }) })] as const;
      }),
    );
    const requestState = result['requestState'];
    result = await rounds.retry({
      ...rounds.params,
      ...(answers.length > 0 && { inputResponses: Object.fromEntries(answers) }),
      ...(typeof requestState === 'string' && { requestState }),
    });
  }
  return result;
}
