import { join } from 'node:path';
import {
  type ChildProcessSupervisor,
  EverythingServer,
  repositoryRoot,
  type Supervised,
} from '@gateway/testing';

export const fixtureMain = join(repositoryRoot, 'dist/apps/mcp-fixtures/src/bench/main.js');
export const everythingMain = join(
  repositoryRoot,
  'node_modules/@modelcontextprotocol/server-everything/dist/index.js',
);

/** The list scenario's catalog servers: 20 x 50 tools (BENCHMARKS.md). */
export const catalogServers = 20;
export const catalogTools = 50;

/** A stdio upstream as a command line, for the gateway's config and the direct side alike. */
export interface StdioCommand {
  readonly command: string;
  readonly args: readonly string[];
}

/** The upstreams both sides of every scenario talk to, started once per run. */
export interface BenchUpstreams {
  /** The fixture's origin: /mcp (echo, blob), /catalog/<i>/mcp, /stats. */
  readonly fixtureUrl: string;
  readonly fixture: Supervised;
  /** server-everything over Streamable HTTP (its /mcp). */
  readonly everythingUrl: string;
  readonly fixtureStdio: StdioCommand;
  readonly everythingStdio: StdioCommand;
  stop(): Promise<void>;
}

export async function startBenchUpstreams(
  supervisor: ChildProcessSupervisor,
  logDir: string,
): Promise<BenchUpstreams> {
  const fixture = await supervisor.startListening(
    'the bench fixture',
    process.execPath,
    [
      fixtureMain,
      '--port',
      '0',
      '--catalogs',
      String(catalogServers),
      '--catalog-tools',
      String(catalogTools),
    ],
    {
      cwd: repositoryRoot,
      env: { PATH: process.env['PATH'] },
      logFile: join(logDir, 'fixture.log'),
      timeoutMs: 20_000,
    },
  );
  const everything = await EverythingServer.start('streamableHttp', logDir);
  return {
    fixtureUrl: fixture.url,
    fixture: fixture.process,
    everythingUrl: everything.url,
    fixtureStdio: { command: process.execPath, args: [fixtureMain, '--stdio'] },
    everythingStdio: { command: process.execPath, args: [everythingMain, 'stdio'] },
    stop: async () => {
      await Promise.all([fixture.process.stop(), everything.stop()]);
    },
  };
}

/** Requests the fixture has seen, per method. */
export async function fixtureRequestCounts(upstreams: BenchUpstreams): Promise<Record<string, number>> {
  const response = await fetch(`${upstreams.fixtureUrl}/stats`);
  return ((await response.json()) as { requests: Record<string, number> }).requests;
}
