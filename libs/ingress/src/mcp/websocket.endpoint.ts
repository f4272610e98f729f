import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { createLogger } from '@gateway/platform';
import { McpAuthenticator } from '../auth/mcp-authenticator';
import { McpScopes } from '../auth/mcp-scopes';
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
    private readonly authenticator: McpAuthenticator,
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
    void this.authenticateThenUpgrade(request, socket, head, view);
  }

  /** The handshake carries the credential; a refusal is an HTTP answer to the upgrade request. */
  private async authenticateThenUpgrade(
    request: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    view: string | undefined,
  ): Promise<void> {
    const admission = await this.authenticator
      .admit({
        headers: request.headers,
        clientAddress: request.socket.remoteAddress ?? '',
        view,
        scopes: [McpScopes.read],
        action: `GET ${request.url ?? '/ws'}`,
      })
      .catch((error: unknown) => {
        this.logger.error({ err: error }, 'websocket authentication failed unexpectedly');
        return undefined;
      });
    if (!admission?.admitted) {
      const status = admission ? admission.status : 500;
      const reason = {
        401: 'Unauthorized',
        403: 'Forbidden',
        503: 'Service Unavailable',
        500: 'Internal Server Error',
      }[status];
      const challenge = admission?.wwwAuthenticate
        ? `WWW-Authenticate: ${admission.wwwAuthenticate}\r\n`
        : '';
      const body = JSON.stringify({
        jsonrpc: '2.0',
        id: null,
        error: { code: admission?.code ?? -32603, message: admission?.message ?? 'authentication failed' },
      });
      socket.end(
        `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\n${challenge}Content-Type: application/json\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
      return;
    }
    const identity = admission.identity;
    this.server.handleUpgrade(request, socket, head, (webSocket) => {
      const transport = new WebSocketServerTransport(webSocket);
      this.sessions
        .openLocal(transport.sessionId, 'websocket', transport, view, identity)
        .catch((error: unknown) => {
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
