import type { IncomingMessage } from 'node:http';

const loopbackNames = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

function hostnameOf(hostHeader: string): string {
  return hostHeader.startsWith('[')
    ? hostHeader.slice(0, hostHeader.indexOf(']') + 1)
    : hostHeader.split(':')[0]!;
}

function isLoopbackBind(host: string): boolean {
  return loopbackNames.has(host) || host.startsWith('127.');
}

export interface OriginPolicy {
  readonly bindHost: string;
  readonly allowedOrigins?: readonly string[];
  readonly allowedHosts?: readonly string[];
}

/**
 * Why a request must be refused before anything reads it, or undefined to serve it. A browser
 * page of another origin must not reach the gateway (Origin checked on every request that
 * carries one), and a gateway bound to loopback only answers loopback Host names, which is
 * what defeats DNS rebinding.
 */
export function refusedOrigin(request: IncomingMessage, policy: OriginPolicy): string | undefined {
  const origin = request.headers.origin;
  if (origin !== undefined) {
    let allowed: boolean;
    if (policy.allowedOrigins) {
      allowed = policy.allowedOrigins.includes(origin) || policy.allowedOrigins.includes('*');
    } else {
      try {
        allowed =
          loopbackNames.has(new URL(origin).hostname) || loopbackNames.has(`[${new URL(origin).hostname}]`);
      } catch {
        allowed = false;
      }
    }
    if (!allowed) return `Forbidden: Origin ${origin} is not allowed`;
  }
  const host = request.headers.host;
  if (host !== undefined) {
    const name = hostnameOf(host);
    if (policy.allowedHosts) {
      if (!policy.allowedHosts.includes(name) && !policy.allowedHosts.includes(host)) {
        return `Forbidden: Host ${host} is not allowed`;
      }
    } else if (isLoopbackBind(policy.bindHost) && !loopbackNames.has(name)) {
      return `Forbidden: Host ${host} is not allowed`;
    }
  }
  return undefined;
}
