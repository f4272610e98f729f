import { repositoryRoot } from '@gateway/testing';
import { compare, type ScenarioResult } from './bench-report';
import { benchViews } from './bench-gateway.config';
import { runClosedLoop } from './load-phase';
import { type McpEndpoint, McpHttpOrigin } from './mcp-http.client';
import { McpStdioConnection } from './mcp-stdio.client';
import {
  alternate,
  callEcho,
  closeSessions,
  directEndpoint,
  gatewayEndpoint,
  type LoadSide,
  openSessions,
  type ScenarioContext,
} from './scenario-context';

export interface CallOptions {
  readonly upstream: 'fixture' | 'everything';
  readonly transport: 'http' | 'stdio';
  readonly sessions: number;
}

/**
 * `call` and `call-stdio`: tools/call of echo from `sessions` concurrent sessions, each sending its
 * next call when the last one is answered. Directly, the HTTP upstream gets one session per
 * client session; a stdio upstream is one process whose pipe carries every session's calls.
 */
export async function callScenario(context: ScenarioContext, options: CallOptions): Promise<ScenarioResult> {
  const direct = await directSide(context, options);
  const gateway = await httpSide(gatewayEndpoint(context, viewOf(options)), options.sessions);
  try {
    const measured = await alternate(context, direct, gateway);
    return compare({
      name: options.transport === 'stdio' ? 'call-stdio' : 'call',
      upstream: options.upstream,
      topology: context.topology.name,
      sessions: options.sessions,
      direct: measured.direct.figures(),
      gateway: measured.gateway.figures(),
    });
  } finally {
    await Promise.all([direct.close(), gateway.close()]);
  }
}

type ClosableSide = LoadSide & { close(): Promise<void> };

function viewOf(options: CallOptions): string {
  if (options.upstream === 'fixture')
    return options.transport === 'http' ? benchViews.fixture : benchViews.fixtureStdio;
  return options.transport === 'http' ? benchViews.everything : benchViews.everythingStdio;
}

async function directSide(context: ScenarioContext, options: CallOptions): Promise<ClosableSide> {
  const { upstreams } = context;
  if (options.transport === 'http') {
    const url = options.upstream === 'fixture' ? `${upstreams.fixtureUrl}/mcp` : upstreams.everythingUrl;
    return httpSide(directEndpoint(url), options.sessions);
  }
  const command = options.upstream === 'fixture' ? upstreams.fixtureStdio : upstreams.everythingStdio;
  const connection = await McpStdioConnection.start(command.command, command.args, repositoryRoot);
  return {
    run: (timing, into) => runClosedLoop(options.sessions, () => callEcho(connection), timing, into),
    close: () => connection.close(),
  };
}

async function httpSide(endpoint: McpEndpoint, count: number): Promise<ClosableSide> {
  const origin = new McpHttpOrigin(endpoint, count);
  const sessions = await openSessions(origin, count);
  return {
    run: (timing, into) => runClosedLoop(count, (worker) => callEcho(sessions[worker]!), timing, into),
    close: () => closeSessions(origin, sessions),
  };
}
