import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { ServerDefinitionValue } from '@gateway/contracts';
import type { RouterConfig } from '../router-config';
import type { DownstreamClient, UpstreamMessage, UpstreamRequestHooks } from './upstream-session';

const repositoryRoot = join(__dirname, '..', '..', '..', '..');

const fixtureFiles = {
  legacy: 'apps/mcp-fixtures/src/upstream/legacy-upstream.server.ts',
  modern: 'apps/mcp-fixtures/src/upstream/modern-upstream.server.ts',
} as const;

export const serverEverything = join(
  repositoryRoot,
  'node_modules/@modelcontextprotocol/server-everything/dist/index.js',
);

/**
 * An upstream fixture server of apps/mcp-fixtures/src/upstream running as a child process on
 * loopback (any free port, reported on stdout), stopped by the test that started it.
 */
export class UpstreamFixture {
  private output = '';

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {}

  static async start(kind: keyof typeof fixtureFiles, replica = 'a'): Promise<UpstreamFixture> {
    const child = spawn(
      process.execPath,
      ['-r', '@swc-node/register', join(repositoryRoot, fixtureFiles[kind])],
      {
        cwd: repositoryRoot,
        env: { PATH: process.env['PATH'], HOME: process.env['HOME'], PORT: '0', REPLICA: replica },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${kind} fixture did not start in 20 s:\n${output}`)),
        20_000,
      );
      const settle = (outcome: () => void): void => {
        clearTimeout(timer);
        outcome();
      };
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8');
        const match = /listening (\d+)/.exec(output);
        if (match) settle(() => resolve(Number(match[1])));
      });
      child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      child.once('exit', (code) =>
        settle(() => reject(new Error(`${kind} fixture exited (${code}):\n${output}`))),
      );
    });
    const fixture = new UpstreamFixture(child, port);
    fixture.output = output;
    child.stderr!.on('data', (chunk: Buffer) => (fixture.output += chunk.toString('utf8')));
    return fixture;
  }

  url(path = '/mcp'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** GET/POST on the fixture's /control endpoints. */
  async control<T = Record<string, unknown>>(path: string): Promise<T> {
    const response = await fetch(this.url(`/control/${path}`), { method: path === 'stats' ? 'GET' : 'POST' });
    return (await response.json()) as T;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
}

let revision = 0;

/** A server definition with test defaults (enabled, a fresh revision). */
export function serverDefinition(
  definition: Pick<ServerDefinitionValue, 'id' | 'transport'> & Partial<ServerDefinitionValue>,
): ServerDefinitionValue {
  revision += 1;
  return { name: definition.id, enabled: true, revision, ...definition };
}

export function downstreamClient(overrides: Partial<DownstreamClient> = {}): DownstreamClient {
  return {
    era: 'legacy',
    protocolVersion: '2025-11-25',
    capabilities: { sampling: {}, elicitation: {} },
    clientInfo: { name: 'test-agent', version: '1.0.0' },
    ...overrides,
  };
}

/** Hooks that record what reaches them and answer requests with `answer`. */
export class RecordingHooks implements UpstreamRequestHooks {
  readonly notifications: UpstreamMessage[] = [];
  readonly requests: UpstreamMessage[] = [];

  constructor(private readonly answer: (request: UpstreamMessage) => Record<string, unknown> = () => ({})) {}

  onNotification(notification: UpstreamMessage): void {
    this.notifications.push(notification);
  }

  async onRequest(request: UpstreamMessage): Promise<Record<string, unknown>> {
    this.requests.push(request);
    return this.answer(request);
  }

  progress(): Array<Record<string, unknown>> {
    return this.notifications
      .filter((notification) => notification.method === 'notifications/progress')
      .map((notification) => notification.params ?? {});
  }
}

/** The text of a tools/call result's first content block, parsed when it is JSON. */
export function resultText(result: Record<string, unknown>): string {
  const content = result['content'] as Array<{ text?: string }> | undefined;
  return content?.[0]?.text ?? '';
}

export function resultJson<T = Record<string, unknown>>(result: Record<string, unknown>): T {
  return JSON.parse(resultText(result)) as T;
}

/** The router settings the pool reads, with fast reconnects for tests. */
export const testRouterConfig = {
  connectTimeoutMs: 10_000,
  restartBackoff: { initialMs: 100, maxMs: 1_000 },
} as RouterConfig;
