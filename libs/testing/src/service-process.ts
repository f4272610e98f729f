import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from './wait-for';

export const repositoryRoot = join(__dirname, '..', '..', '..');

export interface ServiceProcessOptions {
  /** App under dist/apps, e.g. "ingress" or "gateway". */
  readonly app: string;
  readonly env: NodeJS.ProcessEnv;
  /** Where stdout and stderr go, for reading after a failure. */
  readonly logDir: string;
  /** Node.js options before the entry point, e.g. --cpu-prof. */
  readonly nodeArgs?: readonly string[];
}

/** A built app (dist/) running as a child process, as in production. */
export class ServiceProcess {
  readonly child: ChildProcess;
  private exitCode: number | null | undefined;
  readonly logFile: string;
  private readonly exited: Promise<number | null>;

  constructor(options: ServiceProcessOptions) {
    mkdirSync(options.logDir, { recursive: true });
    this.logFile = join(options.logDir, `${options.app}.log`);
    const log = createWriteStream(this.logFile, { flags: 'a' });
    this.child = spawn(
      process.execPath,
      [
        '--enable-source-maps',
        ...(options.nodeArgs ?? []),
        join(repositoryRoot, 'dist', 'apps', options.app, 'src', 'main.js'),
      ],
      {
        cwd: repositoryRoot,
        env: {
          GATEWAY_ROOT: repositoryRoot,
          PATH: process.env['PATH'],
          HOME: process.env['HOME'],
          ...options.env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.child.stdout?.pipe(log);
    this.child.stderr?.pipe(log);
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code) => {
        this.exitCode = code;
        resolve(code);
      }),
    );
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get hasExited(): boolean {
    return this.exitCode !== undefined;
  }

  /** Resolves with the exit code once the process ends. */
  exit(): Promise<number | null> {
    return this.exited;
  }

  /** Waits until GET <baseUrl>/readyz answers 200. */
  async waitUntilReady(baseUrl: string, timeoutMs = 60_000): Promise<void> {
    await waitFor(
      async () => {
        if (this.hasExited) throw new Error(`process exited with ${this.exitCode}; see ${this.logFile}`);
        const response = await fetch(`${baseUrl}/readyz`);
        return response.status === 200;
      },
      { timeoutMs, intervalMs: 200, description: `${baseUrl}/readyz to answer 200 (log: ${this.logFile})` },
    );
  }

  /** SIGTERM, then SIGKILL if it has not ended within the grace period. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.hasExited) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
