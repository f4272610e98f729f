import {
  All,
  Controller,
  Get,
  Inject,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import type { Request as ExpressRequest, Response as ExpressResponse } from 'express';
import { isLegacyRequest } from '@modelcontextprotocol/server';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { toNodeHandler } from '@modelcontextprotocol/node';
import type { Transport } from '@modelcontextprotocol/server';
import { JsonRpcErrorCode } from '@gateway/mcp';
import { EVENT_BUS, type EventBus } from '@gateway/platform';
import { Public } from '@gateway/security';
import { type Admission, McpAuthenticator } from '../auth/mcp-authenticator';
import { McpScopes, requiredScopes } from '../auth/mcp-scopes';
import { type RequestIdentity, requestIdentity } from '../auth/request-identity';
import { RequestRateGate } from '../limits/request-rate.gate';
import { INGRESS_CONFIG, type IngressConfig } from '../ingress-config';
import { RouterGateway } from '../router/router-gateway.service';
import { DownstreamSessions, sessionNotFoundCode } from '../sessions/downstream-sessions.service';
import { BodyRejectedError, readJsonBody } from './json-body.reader';
import { ModernEndpoint, viewOf } from './modern-endpoint';
import { refusedOrigin } from './request-origin.guard';

/** The paths whose handlers read their own bodies: the MCP endpoints, whole catalog and virtual. */
export const mcpEndpointPaths = /^\/(?:servers\/[^/]+\/)?(?:mcp|messages)\/?$/;

function sendJsonRpcError(
  response: ExpressResponse,
  httpStatus: number,
  code: number,
  message: string,
): void {
  response.status(httpStatus).json({ jsonrpc: '2.0', id: null, error: { code, message } });
}

/**
 * The MCP endpoints: Streamable HTTP on `/mcp` and `/servers/{name}/mcp` for every protocol
 * revision (2026-07-28 stateless requests and 2025-era sessions, told apart as the spec's
 * versioning rules say), and the 2024-11-05 HTTP+SSE transport on `/sse` + `/messages`.
 */
@Controller()
@Public('the MCP endpoints authenticate by the MCP authorization rules: 401/403 with WWW-Authenticate')
export class McpController implements OnApplicationBootstrap, OnModuleDestroy {
  readonly modern: ModernEndpoint;
  private readonly serve: (
    request: ExpressRequest,
    response: ExpressResponse,
    parsedBody?: unknown,
  ) => Promise<void>;
  private readonly sse = new Map<string, SSEServerTransport>();

  constructor(
    private readonly sessions: DownstreamSessions,
    router: RouterGateway,
    @Inject(EVENT_BUS) bus: EventBus,
    @Inject(INGRESS_CONFIG) private readonly config: IngressConfig,
    private readonly authenticator: McpAuthenticator,
    rateGate: RequestRateGate,
  ) {
    this.modern = new ModernEndpoint(
      router,
      sessions.sealing,
      bus,
      config.instanceId,
      config.maxBodyBytes,
      rateGate,
    );
    this.serve = toNodeHandler({
      fetch: async (request, options) => {
        const parsedBody = options?.parsedBody;
        if (await isLegacyRequest(request, parsedBody, { maxRequestBodySize: config.maxBodyBytes })) {
          return this.sessions.handleStreamable(request, parsedBody, viewOf(request.url), this.identity());
        }
        return this.modern.handler.fetch(request, options);
      },
    }) as never;
  }

  onApplicationBootstrap(): void {
    this.modern.relayChanges(this.config.instanceId);
  }

  async onModuleDestroy(): Promise<void> {
    await this.modern.close();
  }

  @All(['mcp', 'servers/:view/mcp'])
  async streamable(@Req() request: ExpressRequest, @Res() response: ExpressResponse): Promise<void> {
    if (!this.admitted(request, response)) return;
    if (request.method === 'OPTIONS') {
      response.status(204).end();
      return;
    }
    let body: unknown;
    if (request.method === 'POST') {
      try {
        body = await readJsonBody(request, this.config.maxBodyBytes);
      } catch (error) {
        if (!(error instanceof BodyRejectedError)) throw error;
        sendJsonRpcError(response, error.httpStatus, error.code, error.message);
        return;
      }
    }
    const view = request.params['view'] as string | undefined;
    const scopes = request.method === 'POST' ? requiredScopes(body) : [McpScopes.read];
    const identity = await this.authenticated(request, response, view, scopes);
    if (!identity) return;
    await requestIdentity.run(identity, () => this.serve(request, response, body));
  }

  /** HTTP+SSE (2024-11-05): the event stream; its first event names where to POST. */
  @Get(['sse', 'servers/:view/sse'])
  async openSse(@Req() request: ExpressRequest, @Res() response: ExpressResponse): Promise<void> {
    if (!this.admitted(request, response)) return;
    const view = request.params['view'] as string | undefined;
    const identity = await this.authenticated(request, response, view, [McpScopes.read]);
    if (!identity) return;
    const endpoint = view ? `/servers/${encodeURIComponent(view)}/messages` : '/messages';
    const transport = new SSEServerTransport(endpoint, response);
    this.sse.set(transport.sessionId, transport);
    transport.onclose = () => this.sse.delete(transport.sessionId);
    await this.sessions.openLocal(
      transport.sessionId,
      'sse',
      transport as unknown as Transport,
      view,
      identity,
    );
  }

  @Post(['messages', 'servers/:view/messages'])
  async sseMessage(
    @Req() request: ExpressRequest,
    @Res() response: ExpressResponse,
    @Query('sessionId') sessionId: string | undefined,
  ): Promise<void> {
    if (!this.admitted(request, response)) return;
    const transport = sessionId ? this.sse.get(sessionId) : undefined;
    if (!transport) return sendJsonRpcError(response, 404, sessionNotFoundCode, 'Session not found');
    let body: unknown;
    try {
      body = await readJsonBody(request, this.config.maxBodyBytes);
    } catch (error) {
      if (!(error instanceof BodyRejectedError)) throw error;
      return sendJsonRpcError(response, error.httpStatus, error.code, error.message);
    }
    const identity = await this.authenticated(
      request,
      response,
      request.params['view'] as string | undefined,
      requiredScopes(body),
    );
    if (!identity) return;
    const session = this.sessions.get(transport.sessionId);
    // Someone else's session is answered like an unknown one.
    if (!session || session.identity.principal.id !== identity.principal.id) {
      return sendJsonRpcError(response, 404, sessionNotFoundCode, 'Session not found');
    }
    session.lastActivityMs = Date.now();
    session.identity = identity;
    await transport.handlePostMessage(request, response, body);
  }

  /** The request's verified identity, or undefined once the refusal (401, 403, 503) is sent. */
  private async authenticated(
    request: ExpressRequest,
    response: ExpressResponse,
    view: string | undefined,
    scopes: readonly string[],
  ): Promise<RequestIdentity | undefined> {
    const admission: Admission = await this.authenticator.admit({
      headers: request.headers,
      clientAddress: request.ip ?? request.socket.remoteAddress ?? '',
      view,
      scopes,
      action: `${request.method} ${request.path}`,
    });
    if (admission.admitted) return admission.identity;
    if (admission.wwwAuthenticate) response.setHeader('WWW-Authenticate', admission.wwwAuthenticate);
    sendJsonRpcError(response, admission.status, admission.code, admission.message);
    return undefined;
  }

  /** The identity `streamable` verified; the SDK's handler runs inside its async context. */
  private identity(): RequestIdentity {
    const identity = requestIdentity.getStore();
    if (!identity) throw new Error('an MCP request reached the session layer unauthenticated');
    return identity;
  }

  private admitted(request: ExpressRequest, response: ExpressResponse): boolean {
    const refused = refusedOrigin(request, {
      bindHost: this.config.host,
      allowedOrigins: this.config.allowedOrigins,
      allowedHosts: this.config.allowedHosts,
    });
    if (refused) sendJsonRpcError(response, 403, JsonRpcErrorCode.invalidRequest, refused);
    return refused === undefined;
  }
}
