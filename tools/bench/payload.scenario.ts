import { compare, type ScenarioResult } from './bench-report';
import { benchViews } from './bench-gateway.config';
import { round, runClosedLoop, type SideMeasurement } from './load-phase';
import { type McpEndpoint, McpHttpOrigin, type McpHttpSession } from './mcp-http.client';
import {
  alternate,
  closeSessions,
  directEndpoint,
  gatewayEndpoint,
  type LoadSide,
  openSessions,
  resultText,
  type ScenarioContext,
} from './scenario-context';

const payloadBytes = 1024 * 1024;
const sessionsCount = 4;

/** `payload`: tool results of 1 MiB (the fixture's blob tool), from a few concurrent sessions. */
export async function payloadScenario(context: ScenarioContext): Promise<ScenarioResult> {
  const direct = await side(directEndpoint(`${context.upstreams.fixtureUrl}/mcp`));
  const gateway = await side(gatewayEndpoint(context, benchViews.fixture));
  try {
    const measured = await alternate(context, direct, gateway);
    const mibPerSecond = (side: SideMeasurement) => round((side.figures().rps * payloadBytes) / 2 ** 20, 1);
    return compare({
      name: 'payload',
      variant: '1 MiB',
      upstream: 'fixture',
      topology: context.topology.name,
      sessions: sessionsCount,
      direct: measured.direct.figures(),
      gateway: measured.gateway.figures(),
      extra: {
        direct_mib_per_s: mibPerSecond(measured.direct),
        gateway_mib_per_s: mibPerSecond(measured.gateway),
      },
    });
  } finally {
    await Promise.all([direct.close(), gateway.close()]);
  }
}

async function side(endpoint: McpEndpoint): Promise<LoadSide & { close(): Promise<void> }> {
  const origin = new McpHttpOrigin(endpoint, sessionsCount);
  const sessions = await openSessions(origin, sessionsCount);
  return {
    run: (timing, into) =>
      runClosedLoop(sessionsCount, (worker) => fetchBlob(sessions[worker]!), timing, into),
    close: () => closeSessions(origin, sessions),
  };
}

async function fetchBlob(session: McpHttpSession): Promise<void> {
  const result = await session.request('tools/call', { name: 'blob', arguments: { bytes: payloadBytes } });
  const length = resultText(result, 'blob').length;
  if (length !== payloadBytes) throw new Error(`blob: ${length} bytes, expected ${payloadBytes}`);
}
