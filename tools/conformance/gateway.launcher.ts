import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type ChildProcessSupervisor,
  freePort,
  type Supervised,
  testAdminHeaders,
  testCredentialEnv,
  waitFor,
} from '@gateway/testing';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { startAuthenticatingProxy } from './authenticating.proxy';

export interface StartedGateway {
  /** The gateway's own origin, for the log. */
  readonly baseUrl: string;
  /** The gateway's endpoint /mcp, reached through the authenticating proxy. */
  readonly mcpUrl: string;
  /** /servers/conformance/mcp through the proxy, unless the registry does not accept virtual servers yet. */
  readonly virtualUrl?: string;
  /** Why there is no virtual target. */
  readonly virtualSkipped?: string;
  readonly process: Supervised;
  /** Stops the proxy; the supervisor stops the gateway's process. */
  close(): Promise<void>;
}

type GatewayUrls = Omit<StartedGateway, 'baseUrl' | 'close'>;

export interface GatewayOptions {
  readonly repositoryRoot: string;
  readonly logDir: string;
  readonly fixtureUrl: string;
  readonly timeoutMs: number;
}

const configFile = 'tools/conformance/gateway.yaml';
const gatewayMain = 'apps/gateway/src/main.ts';
/** The registry's exit code for a configuration it rejects (README: Environment variables). */
const configErrorExitCode = 78;

/**
 * Starts the embedded gateway from source with tools/conformance/gateway.yaml and the test admin
 * key, and a proxy in front of it that presents the key: the suite cannot send a header itself,
 * and the gateway refuses MCP requests without a credential (401).
 */
export async function startGateway(
  supervisor: ChildProcessSupervisor,
  options: GatewayOptions,
): Promise<StartedGateway> {
  const gateway = await startGatewayProcess(supervisor, options);
  const baseUrl = new URL(gateway.mcpUrl).origin;
  const proxy = await startAuthenticatingProxy(new URL(baseUrl), testAdminHeaders());
  return {
    ...gateway,
    baseUrl,
    mcpUrl: proxy.urlFor(gateway.mcpUrl),
    virtualUrl: gateway.virtualUrl === undefined ? undefined : proxy.urlFor(gateway.virtualUrl),
    close: () => proxy.close(),
  };
}

/**
 * The virtual server section of the config is new; when the registry rejects it, the gateway is
 * started again without it and the virtual target is reported as skipped instead of failing the run.
 */
async function startGatewayProcess(
  supervisor: ChildProcessSupervisor,
  options: GatewayOptions,
): Promise<GatewayUrls> {
  const config = join(options.repositoryRoot, configFile);
  const first = await launch(supervisor, options, config, 'gateway');
  if (first.ready) return { ...first.urls, process: first.process };

  const log = readFileSync(first.process.logFile, 'utf8');
  if (first.exitCode !== configErrorExitCode || !/virtualServers/.test(log)) {
    throw new Error(`the gateway did not become ready: ${first.reason} (log: ${first.process.logFile})`);
  }
  const withoutVirtual = join(options.logDir, 'gateway.without-virtual-servers.yaml');
  const document = parseYaml(readFileSync(config, 'utf8')) as Record<string, unknown>;
  delete document['virtualServers'];
  writeFileSync(withoutVirtual, stringifyYaml(document));
  const second = await launch(supervisor, options, withoutVirtual, 'gateway-without-virtual-servers');
  if (!second.ready) {
    throw new Error(`the gateway did not become ready: ${second.reason} (log: ${second.process.logFile})`);
  }
  return {
    mcpUrl: second.urls.mcpUrl,
    virtualSkipped:
      `the registry rejects the virtualServers section of ${configFile} ` +
      `(not supported yet; see ${first.process.logFile})`,
    process: second.process,
  };
}

type Launch =
  | { ready: true; process: Supervised; urls: { mcpUrl: string; virtualUrl: string } }
  | { ready: false; process: Supervised; exitCode: number | null | undefined; reason: string };

async function launch(
  supervisor: ChildProcessSupervisor,
  options: GatewayOptions,
  config: string,
  name: string,
): Promise<Launch> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const gateway = supervisor.start('gateway', process.execPath, ['-r', '@swc-node/register', gatewayMain], {
    cwd: options.repositoryRoot,
    logFile: join(options.logDir, `${name}.log`),
    env: {
      PATH: process.env['PATH'],
      HOME: process.env['HOME'],
      ...testCredentialEnv,
      GATEWAY_ROOT: options.repositoryRoot,
      GATEWAY_PORT: String(port),
      GATEWAY_DATA_DIR: join(options.logDir, `${name}-data`),
      REGISTRY_CONFIG_FILE: config,
      CONFORMANCE_FIXTURE_URL: options.fixtureUrl,
      LOG_LEVEL: 'warn',
    },
  });
  let exitCode: number | null | undefined;
  void gateway.exited.then((code) => (exitCode = code));
  let outcome: 'ready' | 'exited';
  try {
    // A probe that throws is retried until the deadline; an exit must end the wait at once.
    outcome = await waitFor(
      async () =>
        exitCode !== undefined ? 'exited' : (await fetch(`${baseUrl}/readyz`)).status === 200 && 'ready',
      { timeoutMs: options.timeoutMs, intervalMs: 250, description: `${baseUrl}/readyz to answer 200` },
    );
  } catch (error) {
    await gateway.stop();
    return { ready: false, process: gateway, exitCode, reason: (error as Error).message };
  }
  if (outcome === 'exited') {
    return { ready: false, process: gateway, exitCode, reason: `the gateway exited with ${exitCode}` };
  }
  await waitForUpstream(baseUrl);
  return {
    ready: true,
    process: gateway,
    urls: { mcpUrl: `${baseUrl}/mcp`, virtualUrl: `${baseUrl}/servers/conformance/mcp` },
  };
}

/** Best effort: the suite's first scenarios should not race the router's connection to the fixture. */
async function waitForUpstream(baseUrl: string): Promise<void> {
  try {
    await waitFor(
      async () => {
        const response = await fetch(`${baseUrl}/api/v1/upstreams`, { headers: testAdminHeaders() });
        if (response.status !== 200) throw new Error(`GET /api/v1/upstreams: ${response.status}`);
        const body = (await response.json()) as {
          upstreams?: { name: string; state: string }[];
        };
        return body.upstreams?.some(
          (upstream) => upstream.name === 'conformance' && upstream.state === 'ready',
        );
      },
      { timeoutMs: 30_000, intervalMs: 250, description: 'the upstream "conformance" to be ready' },
    );
  } catch (error) {
    process.stderr.write(`warning: ${(error as Error).message}; running the suite anyway\n`);
  }
}
