import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { EVENT_BUS, type EventBus } from '@gateway/platform';
import { INGRESS_CONFIG, type IngressConfig } from '../ingress-config';
import { RouterGateway } from '../router/router-gateway.service';
import { CallRecorder } from './call-recorder';
import { createGatewayMcpServer } from './gateway-mcp-server.factory';

/** Until authentication lands every caller is the anonymous principal of the default tenant. */
const anonymousCaller = { tenant: 'default', principal: 'anonymous' };

/** The downstream Streamable HTTP sessions this ingress replica serves. */
@Injectable()
export class McpSessionsService implements OnApplicationShutdown {
  private readonly sessions = new Map<string, StreamableHTTPServerTransport>();

  constructor(
    private readonly router: RouterGateway,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    @Inject(INGRESS_CONFIG) private readonly config: IngressConfig,
  ) {}

  /** Sessions open on this replica (initialized and not yet closed). */
  get size(): number {
    return this.sessions.size;
  }

  get(sessionId: string): StreamableHTTPServerTransport | undefined {
    return this.sessions.get(sessionId);
  }

  /** A new session: its transport, its MCP server, and its call recorder. */
  async open(): Promise<StreamableHTTPServerTransport> {
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (sessionId) => void this.sessions.set(sessionId, transport),
    });
    const sessionId = (): string | undefined => transport.sessionId;
    const recorder = new CallRecorder(
      { bus: this.bus, instanceId: this.config.instanceId, ...anonymousCaller },
      sessionId,
    );
    const server = createGatewayMcpServer(async ({ method, params, requestId }) => {
      const routed = await this.router.dispatch(
        { ...anonymousCaller, sessionId: sessionId() ?? '' },
        method,
        params,
      );
      recorder.annotate(requestId, routed.server, routed.target);
      return routed.result;
    });
    // DELETE and shutdown both end in close(), so this is the one place a session is forgotten.
    transport.onclose = () => {
      if (transport.sessionId) this.sessions.delete(transport.sessionId);
    };
    await server.connect(transport);
    recorder.attach(transport);
    return transport;
  }

  async onApplicationShutdown(): Promise<void> {
    const open = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(open.map((transport) => transport.close().catch(() => undefined)));
  }
}
