import { Inject, Injectable } from '@nestjs/common';
import { McpError as SdkMcpError } from '@modelcontextprotocol/sdk/types.js';
import type { RouterApi } from '@gateway/contracts';
import { GatewayError, JsonRpcErrorCode } from '@gateway/mcp';
import { createLogger } from '@gateway/platform';
import type { RequestChannel } from '../exchange/request-channel';
import { ROUTER_CONFIG, type RouterConfig } from '../router-config';
import { ToolDirectory } from './tool-directory';

/** Maps anything thrown while serving a request to the JSON-RPC error the agent receives. */
export function toRpcError(error: unknown): RouterApi.McpError {
  if (error instanceof GatewayError || error instanceof SdkMcpError) {
    return {
      code: error.code,
      message: error.message,
      dataJson: error.data === undefined ? '' : JSON.stringify(error.data),
    };
  }
  return {
    code: JsonRpcErrorCode.internalError,
    message: error instanceof Error ? error.message : String(error),
    dataJson: '',
  };
}

function parseParams(paramsJson: string): Record<string, unknown> {
  if (!paramsJson) return {};
  const parsed: unknown = JSON.parse(paramsJson);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new GatewayError(JsonRpcErrorCode.invalidParams, 'params must be an object');
  }
  return parsed as Record<string, unknown>;
}

/** Serves one MCP request from ingress: routes it to the upstream (or fans it out) and answers. */
@Injectable()
export class DispatchService {
  private readonly logger = createLogger('dispatch');

  constructor(
    private readonly tools: ToolDirectory,
    @Inject(ROUTER_CONFIG) private readonly config: RouterConfig,
  ) {}

  async serve(
    request: RouterApi.ExchangeStart,
    _channel: RequestChannel,
  ): Promise<RouterApi.DispatchResponse> {
    try {
      const params = parseParams(request.paramsJson);
      const timeoutMs = request.timeoutMs || this.config.callTimeoutMs;
      switch (request.method) {
        case 'tools/list':
          return { resultJson: JSON.stringify(await this.tools.list()), server: '', target: '' };
        case 'tools/call': {
          const outcome = await this.tools.call(params, timeoutMs);
          return {
            resultJson: JSON.stringify(outcome.result),
            server: outcome.server,
            target: outcome.upstreamName,
          };
        }
        default:
          throw new GatewayError(JsonRpcErrorCode.methodNotFound, `Method not found: ${request.method}`);
      }
    } catch (error) {
      if (!(error instanceof GatewayError || error instanceof SdkMcpError)) {
        this.logger.error({ err: error, method: request.method }, 'dispatch failed');
      }
      return { error: toRpcError(error), server: '', target: '' };
    }
  }

  async notify(_request: RouterApi.NotifyRequest): Promise<void> {}

  async closeSession(_request: RouterApi.CloseSessionRequest): Promise<void> {}
}
