import { compare, type ScenarioResult } from './bench-report';
import { benchViews } from './bench-gateway.config';
import { catalogServers, catalogTools, fixtureRequestCounts } from './bench-upstreams';
import { round, runClosedLoop } from './load-phase';
import { McpHttpOrigin, McpHttpSession } from './mcp-http.client';
import {
  alternate,
  closeSessions,
  directEndpoint,
  gatewayEndpoint,
  type LoadSide,
  type ScenarioContext,
} from './scenario-context';

/**
 * `list`: tools/list over 20 servers x 50 tools, from one session. Directly, the client lists
 * every server itself, concurrently; through the gateway it sends one tools/list. Warm is with
 * the router's list cache; cold with it off (ROUTER_LIST_CACHE_TTL_MS=0), so every list fans out.
 * The fixture counts the tools/list requests it gets, giving upstream requests per gateway list.
 */
export async function listScenario(
  context: ScenarioContext,
  variant: 'cold' | 'warm',
): Promise<ScenarioResult> {
  const directOrigin = new McpHttpOrigin(directEndpoint(context.upstreams.fixtureUrl), catalogServers);
  const directSessions = await Promise.all(
    Array.from({ length: catalogServers }, (_, index) =>
      McpHttpSession.open(directOrigin, `/catalog/${index}/mcp`),
    ),
  );
  const gatewayOrigin = new McpHttpOrigin(gatewayEndpoint(context, benchViews.catalog), 1);
  const gatewaySession = await McpHttpSession.open(gatewayOrigin);
  const direct: LoadSide = {
    run: (timing, into) =>
      runClosedLoop(
        1,
        async () => {
          await Promise.all(directSessions.map((session) => listTools(session, catalogTools)));
        },
        timing,
        into,
      ),
  };
  let upstreamLists = 0;
  const gateway: LoadSide = {
    run: async (timing, into) => {
      const before = (await fixtureRequestCounts(context.upstreams))['tools/list'] ?? 0;
      await runClosedLoop(1, () => listTools(gatewaySession, catalogServers * catalogTools), timing, into);
      upstreamLists += ((await fixtureRequestCounts(context.upstreams))['tools/list'] ?? 0) - before;
    },
  };
  try {
    const measured = await alternate(context, direct, gateway);
    return compare({
      name: 'list',
      variant,
      upstream: 'fixture',
      topology: context.topology.name,
      sessions: 1,
      direct: measured.direct.figures(),
      gateway: measured.gateway.figures(),
      extra: {
        upstream_lists_per_list: round(upstreamLists / Math.max(1, measured.gateway.attempts), 3),
      },
    });
  } finally {
    await Promise.all([
      closeSessions(directOrigin, directSessions),
      closeSessions(gatewayOrigin, [gatewaySession]),
    ]);
  }
}

async function listTools(session: McpHttpSession, expected: number): Promise<void> {
  const result = await session.request('tools/list', {});
  const tools = result['tools'];
  if (!Array.isArray(tools) || tools.length !== expected) {
    throw new Error(`tools/list: ${Array.isArray(tools) ? tools.length : 'no'} tools, expected ${expected}`);
  }
}
