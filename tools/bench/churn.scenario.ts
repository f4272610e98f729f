import { compare, type ScenarioResult } from './bench-report';
import { benchViews } from './bench-gateway.config';
import { runClosedLoop } from './load-phase';
import { type McpEndpoint, McpHttpOrigin, McpHttpSession } from './mcp-http.client';
import {
  alternate,
  callEcho,
  directEndpoint,
  gatewayEndpoint,
  type LoadSide,
  type ScenarioContext,
} from './scenario-context';

/** `churn`: each operation is a whole session: initialize, initialized, one echo call, DELETE. */
export async function churnScenario(context: ScenarioContext, workers: number): Promise<ScenarioResult> {
  const direct = side(directEndpoint(`${context.upstreams.fixtureUrl}/mcp`), workers);
  const gateway = side(gatewayEndpoint(context, benchViews.fixture), workers);
  try {
    const measured = await alternate(context, direct, gateway);
    return compare({
      name: 'churn',
      upstream: 'fixture',
      topology: context.topology.name,
      sessions: workers,
      direct: measured.direct.figures(),
      gateway: measured.gateway.figures(),
    });
  } finally {
    await Promise.all([direct.close(), gateway.close()]);
  }
}

function side(endpoint: McpEndpoint, workers: number): LoadSide & { close(): Promise<void> } {
  const origin = new McpHttpOrigin(endpoint, workers);
  return {
    run: (timing, into) =>
      runClosedLoop(
        workers,
        async () => {
          const session = await McpHttpSession.open(origin);
          await callEcho(session);
          await session.close();
        },
        timing,
        into,
      ),
    close: () => origin.close(),
  };
}
