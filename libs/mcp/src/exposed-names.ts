import { createHash } from 'node:crypto';

/** MCP tool names the gateway exposes stay within this alphabet and length (DESIGN.md, Protocol). */
export const maxExposedNameLength = 64;
const separator = '_';
const hashLength = 8;

function sanitize(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, '_');
}

/**
 * The name an agent sees for an upstream's tool: the upstream's own name when only one server
 * is exposed, "<server>_<tool>" otherwise. Names past 64 characters are cut and end with a short
 * hash of the full name, so distinct long names stay distinct.
 */
export function exposedName(server: string, upstreamName: string, prefixed: boolean): string {
  const full = sanitize(prefixed ? `${server}${separator}${upstreamName}` : upstreamName);
  if (full.length <= maxExposedNameLength) return full;
  const digest = createHash('sha256').update(full).digest('hex').slice(0, hashLength);
  return `${full.slice(0, maxExposedNameLength - hashLength - 1)}${separator}${digest}`;
}
