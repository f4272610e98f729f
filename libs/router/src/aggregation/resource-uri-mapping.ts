/**
 * Resource URIs as agents see them. With several servers exposed, an upstream URI U of server S
 * becomes "gateway://S/U", U verbatim after the slash: the mapping reverses without a table, and a
 * URI template stays a valid RFC 6570 template ("file:///{path}" becomes
 * "gateway://S/file:///{path}"). With one server exposed, URIs pass unchanged.
 */
export const gatewayUriScheme = 'gateway';
const gatewayUriPrefix = `${gatewayUriScheme}://`;

export interface UpstreamResourceUri {
  /** The server label as it appears in the URI. */
  readonly server: string;
  readonly upstreamUri: string;
}

export function exposeResourceUri(server: string, upstreamUri: string, prefixed: boolean): string {
  return prefixed ? `${gatewayUriPrefix}${server}/${upstreamUri}` : upstreamUri;
}

/** The server and upstream URI of a "gateway://S/U" URI; undefined for any other form. */
export function upstreamResourceUri(exposedUri: string): UpstreamResourceUri | undefined {
  // RFC 3986 3.1: schemes compare case-insensitively.
  if (exposedUri.slice(0, gatewayUriPrefix.length).toLowerCase() !== gatewayUriPrefix) return undefined;
  const rest = exposedUri.slice(gatewayUriPrefix.length);
  const slash = rest.indexOf('/');
  if (slash <= 0 || slash === rest.length - 1) return undefined;
  return { server: rest.slice(0, slash), upstreamUri: rest.slice(slash + 1) };
}
