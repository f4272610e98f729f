import type { RouterApi } from '@gateway/contracts';
import type { DownstreamClient } from '../upstream/upstream-session';

function parseObject(text: string): Record<string, unknown> | undefined {
  if (!text) return undefined;
  const value: unknown = JSON.parse(text);
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** The downstream client as the upstream layer takes it, from the exchange's client context. */
export function downstreamClientOf(context: RouterApi.ClientContext | undefined): DownstreamClient {
  const info = parseObject(context?.clientInfoJson ?? '') as
    { name?: unknown; version?: unknown } | undefined;
  return {
    sessionKey: context?.sessionKey || undefined,
    era: context?.era === 'modern' ? 'modern' : 'legacy',
    protocolVersion: context?.protocolVersion ?? '',
    capabilities: parseObject(context?.capabilitiesJson ?? '') ?? {},
    clientInfo:
      typeof info?.name === 'string' ? { name: info.name, version: String(info.version ?? '') } : undefined,
  };
}
