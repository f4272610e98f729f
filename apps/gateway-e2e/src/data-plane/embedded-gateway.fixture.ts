import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  freePort,
  repositoryRoot,
  ServiceProcess,
  testAdminHeaders,
  testCredentialEnv,
  waitFor,
} from '@gateway/testing';

export interface EmbeddedGatewayOptions {
  /** A YAML file under apps/gateway-e2e/config, by its file name. */
  readonly config: string;
  /** Where the log and the data directory go; one per gateway process. */
  readonly workDir: string;
  /** The upstream names that must be connected before the gateway counts as started. */
  readonly upstreams: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
}

interface UpstreamView {
  name: string;
  state: string;
}

export const e2eConfigDir = join(repositoryRoot, 'apps', 'gateway-e2e', 'config');

/**
 * The built embedded gateway (`npm start`) on a free loopback port, with its own config and data,
 * started with the test admin key (testAdminHeaders() authenticates to it).
 */
export class EmbeddedGateway {
  private constructor(
    private readonly service: ServiceProcess,
    readonly baseUrl: string,
  ) {}

  get mcpUrl(): string {
    return `${this.baseUrl}/mcp`;
  }

  get port(): number {
    return Number(new URL(this.baseUrl).port);
  }

  get logFile(): string {
    return this.service.logFile;
  }

  static async start(options: EmbeddedGatewayOptions): Promise<EmbeddedGateway> {
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const service = new ServiceProcess({
      app: 'gateway',
      logDir: options.workDir,
      env: {
        ...testCredentialEnv,
        GATEWAY_HOST: '127.0.0.1',
        GATEWAY_PORT: String(port),
        GATEWAY_DATA_DIR: join(options.workDir, 'data'),
        REGISTRY_CONFIG_FILE: join(e2eConfigDir, options.config),
        ...options.env,
      },
    });
    const gateway = new EmbeddedGateway(service, baseUrl);
    try {
      await service.waitUntilReady(baseUrl);
      await gateway.waitForUpstreams(options.upstreams);
    } catch (error) {
      await service.stop();
      throw error;
    }
    return gateway;
  }

  async upstreams(): Promise<UpstreamView[]> {
    const response = await fetch(`${this.baseUrl}/api/v1/upstreams`, { headers: testAdminHeaders() });
    if (response.status !== 200) {
      throw new Error(`GET /api/v1/upstreams: ${response.status} ${await response.text()}`);
    }
    return ((await response.json()) as { upstreams: UpstreamView[] }).upstreams;
  }

  private async waitForUpstreams(names: readonly string[]): Promise<void> {
    await waitFor(
      async () => {
        const upstreams = await this.upstreams();
        return names.every((name) =>
          upstreams.some((upstream) => upstream.name === name && upstream.state === 'ready'),
        );
      },
      { timeoutMs: 45_000, description: `upstreams ${names.join(', ')} to be ready (log: ${this.logFile})` },
    );
  }

  /** The gateway's log lines that match, for a failure message to quote. */
  logLines(pattern: RegExp, limit = 20): string {
    const lines = readFileSync(this.logFile, 'utf8')
      .split('\n')
      .filter((line) => pattern.test(line));
    return lines.slice(-limit).join('\n');
  }

  async stop(): Promise<void> {
    await this.service.stop();
  }
}
