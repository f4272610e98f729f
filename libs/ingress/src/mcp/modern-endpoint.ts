import {
  CLIENT_CAPABILITIES_META_KEY,
  CLIENT_INFO_META_KEY,
  createMcpHandler,
  InMemoryServerEventBus,
  type McpHttpHandler,
  PROTOCOL_VERSION_META_KEY,
  type Result,
  type ServerContext,
  type ServerEvent,
} from '@modelcontextprotocol/server';
import type { RouterApi } from '@gateway/contracts';
import { GatewayError, JsonRpcErrorCode, type SealedBox } from '@gateway/mcp';
import type { EventBus } from '@gateway/platform';
import type { RouterGateway, RpcMessage } from '../router/router-gateway.service';
import { callerOf, type RequestIdentity, requestIdentity } from '../auth/request-identity';
import type { RequestRateGate } from '../limits/request-rate.gate';
import { CallRecorder } from './call-recorder';
import { createGatewayServer, type ForwardedRequest } from './gateway-server';

const listenerContext: RouterApi.ClientContext = {
  sessionKey: '',
  era: 'modern',
  protocolVersion: '2026-07-28',
  capabilitiesJson: '{}',
  clientInfoJson: '',
  view: '',
};

/** The client requests of 2026-07-28 the gateway forwards; the SDK answers discovery and ping. */
const modernMethods = [
  'tools/list',
  'tools/call',
  'resources/list',
  'resources/templates/list',
  'resources/read',
  'prompts/list',
  'prompts/get',
  'completion/complete',
];

/** The requestState the gateway mints when it suspends a request for a 2026-07-28 client. */
interface SuspendedState {
  readonly exchangeId: string;
  readonly router: string;
  /** Input request key → the JSON-RPC id the upstream gave its request. */
  readonly ids: Record<string, string | number>;
}

const statePurpose = 'r1';

function clientContextOf(context: ServerContext, view: string | undefined): RouterApi.ClientContext {
  const envelope = (context.mcpReq.envelope ?? {}) as Record<string, unknown>;
  const info = envelope[CLIENT_INFO_META_KEY] as { name?: string; version?: string } | undefined;
  return {
    sessionKey: '',
    era: 'modern',
    protocolVersion: String(envelope[PROTOCOL_VERSION_META_KEY] ?? ''),
    capabilitiesJson: JSON.stringify(envelope[CLIENT_CAPABILITIES_META_KEY] ?? {}),
    clientInfoJson: info?.name ? JSON.stringify({ name: info.name, version: info.version ?? '' }) : '',
    view: view ?? '',
  };
}

/** The input request key under which a suspended upstream request goes to the client. */
function inputKeyOf(index: number): string {
  return `gateway-${index}`;
}

/**
 * Serves MCP 2026-07-28 (stateless: every request carries its version and capabilities) on
 * `/mcp` and each virtual server's endpoint. The SDK's per-request entry does the wire work
 * (server/discover, subscriptions/listen, header checks, SSE or JSON answers); the gateway's
 * server forwards each request to a router replica.
 *
 * Multi round-trip requests: an upstream of the 2026-07-28 era answers input_required itself,
 * and the result and the client's retry pass through untouched. A 2025-era upstream instead
 * sends sampling, elicitation or roots requests mid-call; the router holds the call and the
 * gateway hands the requests to the client as an input_required result whose sealed state
 * names the held call, so the retry (on any ingress replica) resumes it.
 */
export class ModernEndpoint {
  readonly handler: McpHttpHandler;
  private detach: (() => void) | undefined;
  private closed = false;

  constructor(
    private readonly router: RouterGateway,
    private readonly box: SealedBox,
    bus: EventBus,
    instanceId: string,
    maxBodyBytes: number,
    private readonly rateGate: RequestRateGate,
    readonly events = new InMemoryServerEventBus(),
  ) {
    const recorder = new CallRecorder(
      {
        bus,
        instanceId,
        identity: () => {
          const principal = currentIdentity().principal;
          return { tenant: principal.tenant, principal: principal.id };
        },
      },
      () => undefined,
    );
    this.handler = createMcpHandler(
      ({ requestInfo }) => {
        const view = viewOf(requestInfo?.url);
        return createGatewayServer(
          {
            forward: async (request, peer) => {
              await this.rateGate.admit(currentIdentity(), request.method, request.params);
              return this.forward(request, view, peer);
            },
            suspended: (outcome) => this.suspend(outcome),
            served: (requestId, server, target) => recorder.annotate(requestId, server, target),
          },
          { methods: modernMethods },
        );
      },
      { legacy: 'reject', bus: events, maxRequestBodySize: maxBodyBytes },
    );
  }

  private forward(
    request: ForwardedRequest,
    view: string | undefined,
    peer: Parameters<RouterGateway['exchange']>[1],
  ) {
    const client = clientContextOf(request.context, view);
    const caller = callerOf(currentIdentity(), '');
    const rawState = request.context.mcpReq.requestState<string>();
    const inputResponses = request.context.mcpReq.inputResponses;
    const suspended =
      typeof rawState === 'string' ? this.box.open<SuspendedState>(statePurpose, rawState) : undefined;
    if (suspended) {
      const replies: RpcMessage[] = Object.entries(suspended.ids).map(([key, id]) => {
        const response = inputResponses?.[key];
        return response === undefined
          ? {
              jsonrpc: '2.0',
              id,
              error: { code: JsonRpcErrorCode.invalidParams, message: `the client gave no input for ${key}` },
            }
          : { jsonrpc: '2.0', id, result: response };
      });
      return this.router.exchange(
        { caller, client, method: request.method, params: request.params, resume: { ...suspended, replies } },
        peer,
      );
    }
    if (typeof rawState === 'string' && rawState.startsWith(`${statePurpose}.`)) {
      throw new GatewayError(
        JsonRpcErrorCode.invalidParams,
        'requestState was altered or is not from this gateway',
      );
    }
    // Anything else is the upstream's own state: it travels back with the responses as given.
    const params = {
      ...request.params,
      ...(inputResponses ? { inputResponses } : {}),
      ...(rawState !== undefined ? { requestState: rawState } : {}),
    };
    return this.router.exchange({ caller, client, method: request.method, params }, peer);
  }

  private suspend(outcome: { exchangeId: string; router: string; requests: RpcMessage[] }): Result {
    const inputRequests: Record<string, { method: string; params?: Record<string, unknown> }> = {};
    const ids: Record<string, string | number> = {};
    outcome.requests.forEach((message, index) => {
      inputRequests[inputKeyOf(index)] = { method: message.method!, params: message.params };
      ids[inputKeyOf(index)] = message.id!;
    });
    const state: SuspendedState = { exchangeId: outcome.exchangeId, router: outcome.router, ids };
    return {
      resultType: 'input_required',
      inputRequests,
      requestState: this.box.seal(statePurpose, state),
    } as Result;
  }

  /**
   * Passes the catalog's list_changed on to the open subscriptions/listen streams: this replica
   * attaches to the router as one listener for all its 2026-07-28 clients.
   */
  relayChanges(instanceId: string): void {
    if (this.closed) return;
    const events: Record<string, ServerEvent['kind']> = {
      'notifications/tools/list_changed': 'tools_list_changed',
      'notifications/prompts/list_changed': 'prompts_list_changed',
      'notifications/resources/list_changed': 'resources_list_changed',
    };
    this.detach = this.router.attach(
      { ...listenerContext, sessionKey: `modern-listeners:${instanceId}` },
      {
        onNotification: (message) => {
          const kind = events[message.method ?? ''];
          if (kind) this.events.publish({ kind } as ServerEvent);
        },
        onRequest: async (message) => {
          throw new GatewayError(
            JsonRpcErrorCode.methodNotFound,
            `2026-07-28 clients take no ${message.method} outside a request`,
          );
        },
        onEnd: () => {
          this.detach = undefined;
          if (!this.closed) setTimeout(() => this.relayChanges(instanceId), 1_000).unref();
        },
      },
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    this.detach?.();
    await this.handler.close();
  }
}

/** The identity the MCP endpoint verified for the request being served. */
function currentIdentity(): RequestIdentity {
  const identity = requestIdentity.getStore();
  if (!identity) throw new GatewayError(JsonRpcErrorCode.internalError, 'the request was not authenticated');
  return identity;
}

/** The virtual server a request URL addresses (`/servers/{name}/mcp`), if any. */
export function viewOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  const match = /\/servers\/([^/]+)\/mcp\/?$/.exec(new URL(url).pathname);
  return match ? decodeURIComponent(match[1]!) : undefined;
}
