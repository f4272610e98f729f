import { testAdminHeaders } from '@gateway/testing';
import type { BenchUpstreams } from './bench-upstreams';
import type { GatewayTopology } from './gateway-topology';
import type { PhaseTiming } from './load-phase';
import { SideMeasurement } from './load-phase';
import { type McpEndpoint, McpHttpOrigin, McpHttpSession, type RpcResult } from './mcp-http.client';

/** What every scenario gets: where to send load, and how long. */
export interface ScenarioContext {
  readonly topology: GatewayTopology;
  readonly upstreams: BenchUpstreams;
  readonly timing: PhaseTiming;
  /** Alternating direct/gateway rounds; the timing's duration is split among them. */
  readonly rounds: number;
  /** Idle sessions the sessions scenario opens (BENCHMARKS.md: 5,000). */
  readonly idleSessions: number;
}

/** One side of a comparison: runs a phase of load into its measurement. */
export interface LoadSide {
  run(timing: PhaseTiming, into: SideMeasurement): Promise<void>;
}

/** Direct and gateway, alternating round by round, so drift on a shared machine hits both alike. */
export async function alternate(
  context: ScenarioContext,
  direct: LoadSide,
  gateway: LoadSide,
): Promise<{ direct: SideMeasurement; gateway: SideMeasurement }> {
  const measured = { direct: new SideMeasurement(), gateway: new SideMeasurement() };
  const timing = {
    warmupMs: context.timing.warmupMs,
    durationMs: Math.max(1, Math.round(context.timing.durationMs / context.rounds)),
  };
  for (let round = 0; round < context.rounds; round += 1) {
    await direct.run(timing, measured.direct);
    await gateway.run(timing, measured.gateway);
  }
  return measured;
}

/** A virtual server of the gateway, as the test admin: the gateway refuses requests without a credential. */
export function gatewayEndpoint(context: ScenarioContext, view: string): McpEndpoint {
  return { url: new URL(`${context.topology.baseUrl}/servers/${view}/mcp`), headers: testAdminHeaders() };
}

/** An upstream loaded directly, as the comparison's baseline: no credential. */
export function directEndpoint(url: string): McpEndpoint {
  return { url: new URL(url) };
}

/** Opens `count` sessions on one origin. */
export async function openSessions(origin: McpHttpOrigin, count: number): Promise<McpHttpSession[]> {
  return Promise.all(Array.from({ length: count }, () => McpHttpSession.open(origin)));
}

export async function closeSessions(
  origin: McpHttpOrigin,
  sessions: readonly McpHttpSession[],
): Promise<void> {
  await Promise.allSettled(sessions.map((session) => session.close()));
  await origin.close();
}

/** The first text content of a tool result, which must not be an error result. */
export function resultText(result: RpcResult, tool: string): string {
  if (result['isError'] === true) throw new Error(`${tool}: the tool answered isError`);
  const content = result['content'] as { type?: string; text?: string }[] | undefined;
  const text = content?.[0]?.text;
  if (typeof text !== 'string') throw new Error(`${tool}: no text content in the result`);
  return text;
}

let messageCounter = 0;

/** Calls echo with a fresh message and checks it comes back. */
export async function callEcho(requester: {
  request(method: string, params: Record<string, unknown>): Promise<RpcResult>;
}): Promise<void> {
  const message = `bench-${(messageCounter += 1)}`;
  const result = await requester.request('tools/call', { name: 'echo', arguments: { message } });
  if (!resultText(result, 'echo').includes(message))
    throw new Error('echo: the answer does not hold the message');
}
