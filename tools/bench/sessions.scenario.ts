import { setTimeout as sleep } from 'node:timers/promises';
import { compare, type ScenarioResult } from './bench-report';
import { benchViews } from './bench-gateway.config';
import { residentBytes } from './gateway-topology';
import { round, runBounded, SideMeasurement } from './load-phase';
import { type McpEndpoint, McpHttpOrigin, McpHttpSession } from './mcp-http.client';
import { directEndpoint, gatewayEndpoint, type ScenarioContext } from './scenario-context';

const openingConcurrency = 32;

/**
 * `sessions`: opens N idle sessions (initialize + initialized, no stream held), reads the resident
 * memory of the processes that keep them before and after, and closes them. Directly, that is the
 * fixture; through the gateway, the embedded process or ingress and router.
 */
export async function sessionsScenario(context: ScenarioContext): Promise<ScenarioResult> {
  const count = context.idleSessions;
  const direct = await holdSessions(directEndpoint(`${context.upstreams.fixtureUrl}/mcp`), count, {
    fixture: context.upstreams.fixture.child.pid ?? -1,
  });
  const gateway = await holdSessions(
    gatewayEndpoint(context, benchViews.fixture),
    count,
    context.topology.memoryProcesses(),
  );
  const extra: Record<string, number> = {};
  for (const [role, bytes] of Object.entries({ ...direct.growth, ...gateway.growth })) {
    extra[`${role}_kib_per_session`] = round(bytes / count / 1024, 2);
  }
  return compare({
    name: 'sessions',
    variant: `${count} idle`,
    upstream: 'fixture',
    topology: context.topology.name,
    sessions: count,
    direct: direct.measured.figures(),
    gateway: gateway.measured.figures(),
    extra,
  });
}

async function holdSessions(
  endpoint: McpEndpoint,
  count: number,
  processes: Record<string, number>,
): Promise<{ measured: SideMeasurement; growth: Record<string, number> }> {
  const before = await settledMemory(processes);
  const origin = new McpHttpOrigin(endpoint, openingConcurrency);
  const sessions: McpHttpSession[] = [];
  const measured = new SideMeasurement();
  try {
    await runBounded(
      count,
      openingConcurrency,
      async () => {
        sessions.push(await McpHttpSession.open(origin));
      },
      measured,
    );
    const after = await settledMemory(processes);
    const growth = Object.fromEntries(
      Object.keys(processes).map((role) => [role, Math.max(0, (after[role] ?? 0) - (before[role] ?? 0))]),
    );
    return { measured, growth };
  } finally {
    await runBounded(
      sessions.length,
      openingConcurrency,
      (index) => sessions[index]!.close(),
      new SideMeasurement(),
    );
    await origin.close();
  }
}

/**
 * Resident memory once it stops moving (two readings 500 ms apart within 1%), or the last
 * reading after 10 s: garbage collection runs on its own schedule in the measured processes.
 */
async function settledMemory(processes: Record<string, number>): Promise<Record<string, number>> {
  const read = () =>
    Object.fromEntries(Object.entries(processes).map(([role, pid]) => [role, residentBytes(pid)]));
  let last = read();
  for (let attempt = 0; attempt < 20; attempt += 1) {
    await sleep(500);
    const next = read();
    const steady = Object.keys(next).every(
      (role) => Math.abs(next[role]! - last[role]!) <= last[role]! * 0.01,
    );
    last = next;
    if (steady) break;
  }
  return last;
}
