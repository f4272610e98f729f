import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type DistributedTopology,
  freePort,
  ServiceProcess,
  startDistributedTopology,
  testAdminHeaders,
  testCredentialEnv,
  waitFor,
} from '@gateway/testing';
import type { TopologyName } from './bench-report';

export interface TopologyOptions {
  readonly runDir: string;
  readonly configFile: string;
  /** The servers the config declares: the gateway is ready for load once all are connected. */
  readonly upstreams: readonly string[];
  /** Node.js options per process, e.g. --cpu-prof. */
  readonly nodeArgs: (process: string) => readonly string[];
}

/** A running gateway the scenarios send load through. */
export interface GatewayTopology {
  readonly name: TopologyName;
  /** Ingress origin: /servers/<view>/mcp lives under it. */
  readonly baseUrl: string;
  /** The processes whose memory the sessions scenario reads, by role. */
  memoryProcesses(): Record<string, number>;
  /** Restarts the router (the whole process, embedded) with `env` added, e.g. list caching off. */
  restartRouter(env: NodeJS.ProcessEnv): Promise<void>;
  stop(): Promise<void>;
}

const quiet = { LOG_LEVEL: 'warn' };

export async function startEmbeddedTopology(options: TopologyOptions): Promise<GatewayTopology> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const launch = (env: NodeJS.ProcessEnv): ServiceProcess =>
    new ServiceProcess({
      app: 'gateway',
      logDir: join(options.runDir, 'embedded'),
      nodeArgs: options.nodeArgs('gateway'),
      env: {
        ...quiet,
        // The admin key the scenarios present (testAdminHeaders); the distributed topology sets it too.
        ...testCredentialEnv,
        GATEWAY_PORT: String(port),
        GATEWAY_DATA_DIR: join(options.runDir, 'embedded', 'data'),
        REGISTRY_CONFIG_FILE: options.configFile,
        ...env,
      },
    });
  let gateway = launch({});
  await whenServing(gateway, baseUrl, options.upstreams);
  return {
    name: 'embedded',
    baseUrl,
    memoryProcesses: () => ({ gateway: gateway.pid }),
    restartRouter: async (env) => {
      await gateway.stop();
      gateway = launch(env);
      await whenServing(gateway, baseUrl, options.upstreams);
    },
    stop: () => gateway.stop(),
  };
}

export async function startDistributed(options: TopologyOptions): Promise<GatewayTopology> {
  const topology: DistributedTopology = await startDistributedTopology({
    logDir: join(options.runDir, 'distributed'),
    nodeArgs: options.nodeArgs,
    extraEnv: { ...quiet, REGISTRY_CONFIG_FILE: options.configFile },
  });
  const ready = async () => {
    for (const [name, process] of topology.processes) await process.waitUntilReady(topology.httpUrl[name]);
    await whenUpstreamsReady(topology.httpUrl.router, options.upstreams);
  };
  try {
    await ready();
  } catch (error) {
    await topology.stop();
    throw error;
  }
  return {
    name: 'distributed',
    baseUrl: topology.httpUrl.ingress,
    memoryProcesses: () => ({
      ingress: topology.processes.get('ingress')?.pid ?? -1,
      router: topology.processes.get('router')?.pid ?? -1,
    }),
    restartRouter: async (env) => {
      await topology.processes.get('router')?.stop();
      const router = topology.start('router', env);
      await router.waitUntilReady(topology.httpUrl.router);
      await whenUpstreamsReady(topology.httpUrl.router, options.upstreams);
    },
    stop: () => topology.stop(),
  };
}

async function whenServing(
  process: ServiceProcess,
  baseUrl: string,
  upstreams: readonly string[],
): Promise<void> {
  await process.waitUntilReady(baseUrl, 120_000);
  await whenUpstreamsReady(baseUrl, upstreams);
}

/** Every upstream of the bench config connected, so no scenario measures a connect. */
async function whenUpstreamsReady(routerUrl: string, expected: readonly string[]): Promise<void> {
  await waitFor(
    async () => {
      const response = await fetch(`${routerUrl}/api/v1/upstreams`, { headers: testAdminHeaders() });
      if (response.status !== 200) {
        throw new Error(`GET /api/v1/upstreams: ${response.status} ${await response.text()}`);
      }
      const { upstreams } = (await response.json()) as { upstreams: { name: string; state: string }[] };
      // A database that served earlier runs may hold other servers: only the run's own count.
      const ready = new Set(
        upstreams.filter((upstream) => upstream.state === 'ready').map((upstream) => upstream.name),
      );
      return expected.every((name) => ready.has(name));
    },
    {
      timeoutMs: 60_000,
      intervalMs: 250,
      description: `the upstreams of the bench config on ${routerUrl} to be ready`,
    },
  );
}

/** Resident set size of a process, in bytes (Linux /proc). */
export function residentBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  if (kib === undefined) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kib) * 1024;
}
