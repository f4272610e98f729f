import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { McpError as SdkMcpError } from '@modelcontextprotocol/sdk/types.js';
import type {
  Tool,
  CallToolResult,
  CompleteRequest,
  GetPromptResult,
  ReadResourceResult,
} from '@modelcontextprotocol/sdk/types.js';
import type { RouterApi } from '@gateway/contracts';
import { GatewayError, JsonRpcErrorCode } from '@gateway/mcp';
import { createLogger } from '@gateway/platform';
import {
  AggregatedCatalog,
  type CatalogKind,
  type CatalogRoute,
  type CatalogSource,
  type CatalogView,
  exposeCallToolResult,
  exposeGetPromptResult,
  exposeReadResourceResult,
  listChangedKindOfMethod,
  listChangedMethod,
  viewServerNames,
  viewShows,
} from '../aggregation';
import { AccessControl } from '../access/access-control.service';
import { ToolReview } from '../tool-review/tool-review.service';
import { ViewDirectory } from '../catalog/view-directory';
import type { RequestChannel } from '../exchange/request-channel';
import { SessionAttachments } from '../exchange/session-attachments';
import { ROUTER_CONFIG, type RouterConfig } from '../router-config';
import { UpstreamPool } from '../upstream/upstream-pool';
import type {
  DownstreamClient,
  UpstreamCallOptions,
  UpstreamMessage,
  UpstreamServer,
} from '../upstream/upstream-session';
import { downstreamClientOf } from './downstream-client';

/** Maps anything thrown while serving a request to the JSON-RPC error the agent receives. */
export function toRpcError(error: unknown): RouterApi.McpError {
  if (error instanceof GatewayError || error instanceof SdkMcpError) {
    return {
      code: error.code,
      message: error.message,
      dataJson: error.data === undefined ? '' : JSON.stringify(error.data),
    };
  }
  const coded = error as { code?: unknown; message?: unknown; data?: unknown };
  if (typeof coded?.code === 'number' && typeof coded.message === 'string') {
    return {
      code: coded.code,
      message: coded.message,
      dataJson: coded.data === undefined ? '' : JSON.stringify(coded.data),
    };
  }
  return {
    code: JsonRpcErrorCode.internalError,
    message: error instanceof Error ? error.message : String(error),
    dataJson: '',
  };
}

function parseParams(paramsJson: string): Record<string, unknown> {
  if (!paramsJson) return {};
  const parsed: unknown = JSON.parse(paramsJson);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new GatewayError(JsonRpcErrorCode.invalidParams, 'params must be an object');
  }
  return parsed as Record<string, unknown>;
}

const listMethods: Record<string, { kind: CatalogKind; key: string }> = {
  'tools/list': { kind: 'tools', key: 'tools' },
  'resources/list': { kind: 'resources', key: 'resources' },
  'resources/templates/list': { kind: 'resourceTemplates', key: 'resourceTemplates' },
  'prompts/list': { kind: 'prompts', key: 'prompts' },
};

const capabilityOf: Record<CatalogKind, string> = {
  tools: 'tools',
  resources: 'resources',
  resourceTemplates: 'resources',
  prompts: 'prompts',
};

interface Routed {
  readonly result: Record<string, unknown>;
  readonly server: string;
  readonly target: string;
}

/** A resource subscription of a downstream session, as the upstream knows it. */
interface Subscription {
  readonly serverId: string;
  readonly upstreamUri: string;
  readonly exposedUri: string;
}

/**
 * Serves the MCP requests of downstream clients: lists from the aggregated catalog (through the
 * client's virtual server, if any), and everything addressed to one tool, prompt or resource on
 * the upstream behind it, with the upstream's messages for the client relayed on the request's
 * channel. Messages of upstream sessions that belong to no request go to the attached
 * downstream sessions; list_changed refreshes the catalog and reaches every client that sees it.
 */
@Injectable()
export class DispatchService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = createLogger('dispatch');
  readonly catalog: AggregatedCatalog;
  /** Downstream session key → its resource subscriptions. */
  private readonly subscriptions = new Map<string, Map<string, Subscription>>();
  private stopListening: (() => void) | undefined;
  private stopFollowingReview: (() => void) | undefined;
  /** The server object behind each catalog source. */
  private readonly sourceServers = new Map<string, UpstreamServer>();

  constructor(
    private readonly pool: UpstreamPool,
    private readonly views: ViewDirectory,
    private readonly attachments: SessionAttachments,
    @Inject(ROUTER_CONFIG) private readonly config: RouterConfig,
    private readonly access: AccessControl,
    private readonly review: ToolReview,
  ) {
    this.catalog = new AggregatedCatalog([], {
      defaultDeadlineMs: config.listTimeoutMs,
      // 0 turns caching off: every list asks every upstream.
      maxListAgeMs: config.listCacheTtlMs,
      logger: this.logger,
    });
  }

  onModuleInit(): void {
    this.syncSources();
    this.stopListening = this.catalog.onChanged((change) => {
      const method = listChangedMethod(change.kind);
      for (const client of this.attachments.sessions()) {
        const view = client.view ? this.views.get(client.view) : undefined;
        if (client.view && !view) continue;
        if (viewShows(view, change.server, change.kind))
          this.attachments.notify(client.sessionKey, { method });
      }
    });
    // A tool approved, quarantined or held changes what agents see: list the server's tools again.
    this.stopFollowingReview = this.review.onChanged((serverId) =>
      this.catalog.invalidate(serverId, 'tools'),
    );
    this.pool.setSessionListener({
      onNotification: (serverId, sessionKey, notification) =>
        this.onSessionNotification(serverId, sessionKey, notification),
      onRequest: (serverId, sessionKey, request) => this.onSessionRequest(serverId, sessionKey, request),
    });
  }

  onModuleDestroy(): void {
    this.stopListening?.();
    this.stopFollowingReview?.();
  }

  /**
   * Brings the catalog's sources in line with the pool's servers (a changed definition is a new
   * server object). The catalog tells agents about every source that comes or goes.
   */
  syncSources(): void {
    const current = new Map(this.pool.all().map((server) => [server.definition.id, server]));
    for (const [serverId, server] of this.sourceServers) {
      if (current.get(serverId) !== server) {
        this.sourceServers.delete(serverId);
        this.catalog.removeSource(serverId);
      }
    }
    for (const [serverId, server] of current) {
      if (this.sourceServers.has(serverId)) continue;
      this.sourceServers.set(serverId, server);
      this.catalog.addSource(this.sourceOf(server));
    }
  }

  private sourceOf(server: UpstreamServer): CatalogSource {
    const definition = server.definition;
    return {
      serverId: definition.id,
      name: definition.name,
      failMode: definition.failMode,
      deadlineMs: definition.timeouts?.listMs,
      list: async (kind, signal) => {
        // A server without the feature has nothing to list; asking would only fail.
        const capabilities = server.capabilities(server.era ?? 'legacy');
        if (capabilities && !capabilities[capabilityOf[kind]]) return [];
        const method = Object.keys(listMethods).find((candidate) => listMethods[candidate]!.kind === kind)!;
        const key = listMethods[method]!.key;
        const items: unknown[] = [];
        let cursor: string | undefined;
        do {
          const page = await server.request(method, cursor ? { cursor } : undefined, {
            client: catalogClient,
            timeoutMs: definition.timeouts?.listMs ?? this.config.listTimeoutMs,
            signal,
            idempotent: true,
          });
          items.push(...((page[key] as unknown[] | undefined) ?? []));
          cursor = typeof page['nextCursor'] === 'string' ? page['nextCursor'] : undefined;
        } while (cursor && !signal.aborted);
        // Quarantined, held and unreviewed-but-suspicious tools never enter the catalog.
        if (kind === 'tools') {
          return this.review.admit(
            { id: definition.id, name: definition.name },
            items as Tool[],
            [],
          ) as never;
        }
        return items as never;
      },
    };
  }

  private viewOf(client: RouterApi.ClientContext | undefined): CatalogView | undefined {
    if (!client?.view) return undefined;
    const view = this.views.get(client.view);
    if (!view) {
      throw new GatewayError(JsonRpcErrorCode.invalidParams, `Unknown virtual server "${client.view}"`);
    }
    return view;
  }

  private upstream(route: CatalogRoute): UpstreamServer {
    const server = this.pool.get(route.serverId);
    if (!server) {
      throw new GatewayError(
        JsonRpcErrorCode.upstreamUnavailable,
        `Upstream server "${route.server}" is not configured any more`,
        { server: route.server },
      );
    }
    return server;
  }

  async serve(
    request: RouterApi.ExchangeStart,
    channel: RequestChannel,
  ): Promise<RouterApi.DispatchResponse> {
    let route: { server: string; target: string } = { server: '', target: '' };
    try {
      const params = parseParams(request.paramsJson);
      const view = this.viewOf(request.client);
      const client = downstreamClientOf(request.client);
      const options = (server: UpstreamServer, idempotent: boolean): UpstreamCallOptions => ({
        client,
        // For upstreams that take the agent's identity by token exchange; never forwarded as is.
        caller: request.caller,
        timeoutMs: request.timeoutMs || server.definition.timeouts?.callMs || this.config.callTimeoutMs,
        signal: channel.signal,
        idempotent,
        hooks: {
          onNotification: (notification) => channel.notify(notification),
          onRequest: (message) => channel.request(message),
        },
      });
      const routed = await this.route(request, params, view, client, options, (server, target) => {
        route = { server, target };
      });
      return { resultJson: JSON.stringify(routed.result), server: routed.server, target: routed.target };
    } catch (error) {
      if (
        !(error instanceof GatewayError || error instanceof SdkMcpError) &&
        !(error as { code?: unknown }).code
      ) {
        this.logger.error({ err: error, method: request.method }, 'dispatch failed');
      }
      return { error: toRpcError(error), ...route };
    }
  }

  private async route(
    request: RouterApi.ExchangeStart,
    params: Record<string, unknown>,
    view: CatalogView | undefined,
    client: DownstreamClient,
    options: (server: UpstreamServer, idempotent: boolean) => UpstreamCallOptions,
    routedTo: (server: string, target: string) => void,
  ): Promise<Routed> {
    const { method, caller } = request;
    const context = {
      clientAddress: caller?.clientAddress || undefined,
      sessionId: caller?.sessionId || undefined,
      view: view?.name,
    };
    const listing = listMethods[method];
    if (listing) {
      const items = await this.catalog.list(listing.kind, view, this.access.listFilter(caller, context));
      return { result: { [listing.key]: items }, server: '', target: '' };
    }
    switch (method) {
      case 'tools/call': {
        const route = await this.catalog.resolveTool(requireString(params, 'name'), view);
        routedTo(route.server, route.upstreamName);
        this.access.authorize(
          caller,
          method,
          { kind: 'tool', server: route.server, name: route.upstreamName },
          {
            ...context,
            arguments: params['arguments'],
          },
        );
        const server = this.upstream(route);
        const result = await server.request(
          method,
          {
            ...params,
            name: route.upstreamName,
            arguments: this.access.mask(
              caller,
              route.server,
              'arguments',
              params['arguments'],
              route.upstreamName,
            ),
          },
          options(server, false),
        );
        return {
          result: this.access.mask(
            caller,
            route.server,
            'results',
            exposeCallToolResult(result as CallToolResult, route.uris),
            route.upstreamName,
          ) as Record<string, unknown>,
          server: route.server,
          target: route.upstreamName,
        };
      }
      case 'prompts/get': {
        const route = await this.catalog.resolvePrompt(requireString(params, 'name'), view);
        routedTo(route.server, route.upstreamName);
        this.access.authorize(
          caller,
          method,
          { kind: 'prompt', server: route.server, name: route.upstreamName },
          context,
        );
        const server = this.upstream(route);
        const result = await server.request(
          method,
          { ...params, name: route.upstreamName },
          options(server, true),
        );
        return {
          result: exposeGetPromptResult(result as GetPromptResult, route.uris) as Record<string, unknown>,
          server: route.server,
          target: route.upstreamName,
        };
      }
      case 'resources/read': {
        const route = await this.catalog.resolveResource(requireString(params, 'uri'), view);
        routedTo(route.server, route.upstreamUri);
        this.access.authorize(
          caller,
          method,
          { kind: 'resource', server: route.server, name: route.upstreamUri },
          context,
        );
        const server = this.upstream(route);
        const result = await server.request(
          method,
          { ...params, uri: route.upstreamUri },
          options(server, true),
        );
        return {
          result: exposeReadResourceResult(result as ReadResourceResult, route.uris) as Record<
            string,
            unknown
          >,
          server: route.server,
          target: route.upstreamUri,
        };
      }
      case 'resources/subscribe':
      case 'resources/unsubscribe': {
        const exposedUri = requireString(params, 'uri');
        const route = await this.catalog.resolveResource(exposedUri, view);
        routedTo(route.server, route.upstreamUri);
        this.access.authorize(
          caller,
          'resources/read',
          { kind: 'resource', server: route.server, name: route.upstreamUri },
          context,
        );
        const server = this.upstream(route);
        await server.request(method, { ...params, uri: route.upstreamUri }, options(server, true));
        this.trackSubscription(client.sessionKey, method === 'resources/subscribe', {
          serverId: route.serverId,
          upstreamUri: route.upstreamUri,
          exposedUri,
        });
        return { result: {}, server: route.server, target: route.upstreamUri };
      }
      case 'completion/complete': {
        const ref = (params as CompleteRequest['params']).ref;
        if (!ref || typeof ref !== 'object') {
          throw new GatewayError(JsonRpcErrorCode.invalidParams, 'completion/complete needs a "ref"');
        }
        const route = await this.catalog.resolveCompletionRef(ref, view);
        const target = 'name' in route.ref ? route.ref.name : route.ref.uri;
        routedTo(route.server, target);
        this.access.authorize(
          caller,
          method,
          { kind: 'server', server: route.server, name: route.server },
          context,
        );
        const server = this.upstream(route);
        const result = await server.request(method, { ...params, ref: route.ref }, options(server, true));
        return { result, server: route.server, target };
      }
      case 'logging/setLevel': {
        await this.everyUpstreamOf(view, 'logging', (server) =>
          server.request(method, params, options(server, true)),
        );
        return { result: {}, server: '', target: '' };
      }
      case 'ping':
        return { result: {}, server: '', target: '' };
      default:
        throw new GatewayError(JsonRpcErrorCode.methodNotFound, `Method not found: ${method}`);
    }
  }

  /** Runs an operation on every ready upstream the view shows that offers a capability ('' = any). */
  private async everyUpstreamOf(
    view: CatalogView | undefined,
    capability: string,
    operation: (server: UpstreamServer) => Promise<unknown>,
  ): Promise<void> {
    const servers = this.pool
      .all()
      .filter((server) => !view || viewServerNames(view).has(server.name))
      .filter(
        (server) =>
          server.state === 'ready' &&
          (capability === '' || server.capabilities(server.era ?? 'legacy')?.[capability] !== undefined),
      );
    const outcomes = await Promise.allSettled(servers.map(operation));
    outcomes.forEach((outcome, index) => {
      if (outcome.status === 'rejected') {
        this.logger.warn(
          { server: servers[index]!.name, err: outcome.reason },
          `${capability} request failed`,
        );
      }
    });
  }

  private trackSubscription(
    sessionKey: string | undefined,
    subscribe: boolean,
    subscription: Subscription,
  ): void {
    if (!sessionKey) return;
    const key = `${subscription.serverId}\0${subscription.upstreamUri}`;
    let held = this.subscriptions.get(sessionKey);
    if (subscribe) {
      if (!held) this.subscriptions.set(sessionKey, (held = new Map()));
      held.set(key, subscription);
    } else {
      held?.delete(key);
    }
  }

  private onSessionNotification(
    serverId: string,
    sessionKey: string | undefined,
    notification: UpstreamMessage,
  ): void {
    const changed = listChangedKindOfMethod(notification.method);
    if (changed) {
      this.catalog.invalidate(serverId, changed);
      return;
    }
    if (notification.method === 'notifications/resources/updated') {
      const uri = notification.params?.['uri'];
      for (const [key, held] of this.subscriptions) {
        if (sessionKey !== undefined && key !== sessionKey) continue;
        for (const subscription of held.values()) {
          if (subscription.serverId === serverId && subscription.upstreamUri === uri) {
            this.attachments.notify(key, {
              method: notification.method,
              params: { ...notification.params, uri: subscription.exposedUri },
            });
          }
        }
      }
      return;
    }
    const targets =
      sessionKey !== undefined
        ? [sessionKey]
        : this.attachments.sessions().map((client) => client.sessionKey);
    for (const key of targets) {
      if (!this.attachments.notify(key, notification)) {
        this.logger.debug(
          { server: serverId, session: key, method: notification.method },
          'no stream for the notification',
        );
      }
    }
  }

  private async onSessionRequest(
    serverId: string,
    sessionKey: string | undefined,
    request: UpstreamMessage,
  ): Promise<Record<string, unknown>> {
    if (sessionKey === undefined) {
      throw new GatewayError(
        JsonRpcErrorCode.internalError,
        `The gateway cannot route ${request.method} from a shared upstream session to one client outside a request`,
      );
    }
    return this.attachments.request(sessionKey, request);
  }

  /** A downstream notification for the upstreams of the client's session. */
  async notify(request: RouterApi.NotifyRequest): Promise<void> {
    const message = JSON.parse(request.messageJson) as { method?: string; params?: Record<string, unknown> };
    if (!message.method) return;
    const client = downstreamClientOf(request.client);
    const view = this.viewOf(request.client);
    await this.everyUpstreamOf(view, '', async (server) =>
      server.notify(message.method!, message.params, client, request.caller),
    );
  }

  async closeSession(request: RouterApi.CloseSessionRequest): Promise<void> {
    const sessionKey = request.client?.sessionKey;
    if (!sessionKey) return;
    this.subscriptions.delete(sessionKey);
    await Promise.allSettled(this.pool.all().map((server) => server.closeSession(sessionKey)));
  }
}

/** Who lists the catalog: the gateway itself, on the upstreams' shared sessions. */
const catalogClient: DownstreamClient = {
  era: 'legacy',
  protocolVersion: '2025-11-25',
  capabilities: {},
  clientInfo: { name: 'mcp-gateway', version: '0.1.0' },
};

function requireString(params: Record<string, unknown>, key: string): string {
  const value = params[key];
  if (typeof value !== 'string')
    throw new GatewayError(JsonRpcErrorCode.invalidParams, `"${key}" must be a string`);
  return value;
}
