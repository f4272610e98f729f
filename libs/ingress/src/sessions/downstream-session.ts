import type { Server, Transport } from '@modelcontextprotocol/server';
import type { RouterApi } from '@gateway/contracts';
import type { RequestIdentity } from '../auth/request-identity';

/** One downstream session of the 2025 era (Streamable HTTP, HTTP+SSE or WebSocket) on this replica. */
export interface DownstreamSession {
  /** The id the client sends (sealed for Streamable HTTP, a local id for SSE and WebSocket). */
  readonly id: string;
  /** Key of the session's upstream sessions on the router: the same on every replica. */
  readonly key: string;
  readonly transportKind: 'streamable-http' | 'sse' | 'websocket';
  readonly server: Server;
  readonly transport: Transport;
  readonly view?: string;
  lastActivityMs: number;
  /** Who the session belongs to, as the latest request's credential says (scopes can step up). */
  identity: RequestIdentity;
  /** Stops relaying the router's session messages. */
  detach?: () => void;
}

/** The client as the router should see it, read from the session's negotiated state. */
export function legacyClientContext(session: DownstreamSession): RouterApi.ClientContext {
  const info = session.server.getClientVersion();
  return {
    sessionKey: session.key,
    era: 'legacy',
    protocolVersion: session.server.getNegotiatedProtocolVersion() ?? '2025-03-26',
    capabilitiesJson: JSON.stringify(session.server.getClientCapabilities() ?? {}),
    clientInfoJson: info ? JSON.stringify({ name: info.name, version: info.version }) : '',
    view: session.view ?? '',
  };
}
