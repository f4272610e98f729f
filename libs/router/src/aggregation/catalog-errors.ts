import { GatewayError, JsonRpcErrorCode } from '@gateway/mcp';
import type { CatalogKind } from './catalog-kinds';
import type { CatalogSource } from './catalog-source';

/** MCP 2025-11-25, server/resources "Error Handling": a resource that does not exist. */
export const resourceNotFoundCode = -32002;

export function unknownTool(name: string): GatewayError {
  return new GatewayError(JsonRpcErrorCode.invalidParams, `Unknown tool: ${name}`, { name });
}

export function unknownPrompt(name: string): GatewayError {
  return new GatewayError(JsonRpcErrorCode.invalidParams, `Unknown prompt: ${name}`, { name });
}

export function unknownResource(uri: string): GatewayError {
  return new GatewayError(resourceNotFoundCode, `Unknown resource: ${uri}`, { uri });
}

const listMethods: Record<CatalogKind, string> = {
  tools: 'tools/list',
  resources: 'resources/list',
  resourceTemplates: 'resources/templates/list',
  prompts: 'prompts/list',
};

export function listTimedOut(source: CatalogSource, kind: CatalogKind, deadlineMs: number): GatewayError {
  return new GatewayError(
    JsonRpcErrorCode.upstreamTimeout,
    `${listMethods[kind]} of server "${source.name}" did not answer within ${deadlineMs} ms`,
    { server: source.name, serverId: source.serverId },
  );
}

export function listFailed(source: CatalogSource, kind: CatalogKind, cause: unknown): GatewayError {
  const code = cause instanceof GatewayError ? cause.code : JsonRpcErrorCode.upstreamUnavailable;
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new GatewayError(code, `${listMethods[kind]} of server "${source.name}" failed: ${reason}`, {
    server: source.name,
    serverId: source.serverId,
  });
}
