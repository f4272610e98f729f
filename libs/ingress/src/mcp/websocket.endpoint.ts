import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { createLogger } from '@gateway/platform';
import { INGRESS_CONFIG, type IngressConfig } from '../ingress-config';
import { DownstreamSessions } from '../sessions/downstream-sessions.service';
import { refusedOrigin } from './request-origin.guard';
import { WebSocketServerTransport } from './websocket-server.transport';

const pathPattern = /^\/(?:servers\/([^/]+)\/)?ws\/?$/;

/** MCP over WebSocket at `/ws` and `/servers/{name}/ws`: one session per connection. */
@Injectable()
export class WebSocketEndpoint implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = createLogger('websocket');
  private readonly server = new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols) => (protocols.has('mcp') ? 'mcp' : false),
  });

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly sessions: DownstreamSessions,
    @Inject(INGRESS_CONFIG) private readonly config: IngressConfig,
  ) {}

  onApplicationBootstrap(): void {
    const http = this.adapterHost.httpAdapter.getHttpServer() as HttpServer;
    http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.upgrade(request, socket, head),
    );
  }

  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const match = pathPattern.exec(new URL(request.url ?? '/', 'http://gateway.internal').pathname);
    if (!match) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    const refused = refusedOrigin(request, {
      bindHost: this.config.host,
      allowedOrigins: this.config.allowedOrigins,
      allowedHosts: this.config.allowedHosts,
    });
    if (refused) {
      socket.end(`HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\n${refused}`);
      return;
    }
    const view = match[1] ? decodeURIComponent(match[1]) : undefined;
    this.server.handleUpgrade(request, socket, head, (webSocket) => {
      const transport = new WebSocketServerTransport(webSocket);
      this.sessions.openLocal(transport.sessionId, 'websocket', transport, view).catch((error: unknown) => {
        this.logger.error({ err: error }, 'websocket session failed to open');
        webSocket.close(1011, 'session failed to open');
      });
    });
  }

  async onApplicationShutdown(): Promise<void> {
    for (const client of this.server.clients) client.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
