import { Inject, Injectable } from '@nestjs/common';
import { CallToolResultSchema, type CallToolResult, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { exposedName, GatewayError, JsonRpcErrorCode } from '@gateway/mcp';
import { createLogger } from '@gateway/platform';
import { ROUTER_CONFIG, type RouterConfig } from '../router-config';
import type { UpstreamConnection } from '../upstream/upstream-connection';
import { UpstreamPool } from '../upstream/upstream-pool';
import { traceUpstreamRequest, withTraceMeta } from '../upstream/upstream-request-tracer';

interface ToolRoute {
  readonly serverId: string;
  readonly upstreamName: string;
}

export interface ToolCallOutcome {
  readonly result: CallToolResult;
  readonly server: string;
  readonly upstreamName: string;
}

/**
 * The aggregated tool list of every upstream and the way back from an exposed tool name to the
 * server and name that serve it.
 */
@Injectable()
export class ToolDirectory {
  private readonly logger = createLogger('tool-directory');
  private routes = new Map<string, ToolRoute>();

  constructor(
    private readonly pool: UpstreamPool,
    @Inject(ROUTER_CONFIG) private readonly config: RouterConfig,
  ) {}

  /** Lists every ready upstream's tools concurrently; an upstream that fails is left out (fail-open). */
  async list(): Promise<{ tools: Tool[] }> {
    const connections = this.pool.all();
    const prefixed = connections.length > 1;
    const listed = await Promise.allSettled(connections.map((connection) => this.listOne(connection)));
    const routes = new Map<string, ToolRoute>();
    const tools: Tool[] = [];
    listed.forEach((outcome, index) => {
      const connection = connections[index]!;
      if (outcome.status === 'rejected') {
        this.logger.warn(
          { server: connection.name, error: String(outcome.reason) },
          'tools/list failed; left out',
        );
        return;
      }
      for (const tool of outcome.value) {
        const name = exposedName(connection.name, tool.name, prefixed);
        routes.set(name, { serverId: connection.definition.id, upstreamName: tool.name });
        tools.push({ ...tool, name });
      }
    });
    this.routes = routes;
    return { tools };
  }

  async call(params: Record<string, unknown>, timeoutMs: number): Promise<ToolCallOutcome> {
    const name = params['name'];
    if (typeof name !== 'string') {
      throw new GatewayError(JsonRpcErrorCode.invalidParams, 'tools/call needs a string "name"');
    }
    const route = this.routes.get(name) ?? (await this.refreshAndFind(name));
    const connection = this.pool.get(route.serverId);
    if (!connection) throw new GatewayError(JsonRpcErrorCode.invalidParams, `Unknown tool: ${name}`);
    const client = connection.requireClient();
    const result = await traceUpstreamRequest(connection, 'tools/call', route.upstreamName, (meta) =>
      client.request(
        { method: 'tools/call', params: withTraceMeta({ ...params, name: route.upstreamName }, meta) },
        CallToolResultSchema,
        { timeout: timeoutMs },
      ),
    );
    return { result, server: connection.name, upstreamName: route.upstreamName };
  }

  private async refreshAndFind(name: string): Promise<ToolRoute> {
    await this.list();
    const route = this.routes.get(name);
    if (!route) throw new GatewayError(JsonRpcErrorCode.invalidParams, `Unknown tool: ${name}`);
    return route;
  }

  private async listOne(connection: UpstreamConnection): Promise<Tool[]> {
    const client = connection.requireClient();
    return traceUpstreamRequest(connection, 'tools/list', undefined, async (meta) => {
      const tools: Tool[] = [];
      let cursor: string | undefined;
      do {
        const page = await client.listTools(cursor ? { cursor, _meta: meta } : { _meta: meta }, {
          timeout: this.config.listTimeoutMs,
        });
        tools.push(...page.tools);
        cursor = page.nextCursor;
      } while (cursor);
      return tools;
    });
  }
}
