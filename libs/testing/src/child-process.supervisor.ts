import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';

export interface ChildOptions {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** stdout and stderr are appended here. */
  readonly logFile: string;
  /** Called with each stdout line (the log file gets it too). */
  readonly onStdoutLine?: (line: string) => void;
}

export interface Supervised {
  readonly name: string;
  readonly child: ChildProcess;
  readonly logFile: string;
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  /** SIGTERM to the process group, SIGKILL after the grace period. */
  stop(graceMs?: number): Promise<void>;
}

export interface Completion {
  readonly exitCode: number | null;
  readonly timedOut: boolean;
  readonly durationMs: number;
}

/**
 * Every child process of a run: each leads its own process group (so a gateway's own children go
 * with it), and whatever is still running when the runner exits, normally or not, is killed.
 */
export class ChildProcessSupervisor {
  private readonly running = new Set<Supervised>();

  constructor() {
    process.once('exit', () => {
      for (const supervised of this.running) signalGroup(supervised.child, 'SIGKILL');
    });
  }

  start(name: string, command: string, args: readonly string[], options: ChildOptions): Supervised {
    const log = createWriteStream(options.logFile, { flags: 'a' });
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let pending = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      log.write(chunk);
      if (!options.onStdoutLine) return;
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      lines.forEach((line) => options.onStdoutLine?.(line));
    });
    child.stderr?.pipe(log, { end: false });
    const exited = new Promise<number | null>((resolve) => {
      child.once('error', (error) => {
        log.write(`\n[runner] could not start ${name}: ${error.message}\n`);
        resolve(null);
      });
      child.once('exit', (code) => resolve(code));
    });
    const supervised: Supervised = {
      name,
      child,
      logFile: options.logFile,
      exited,
      stop: async (graceMs = 5000) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        signalGroup(child, 'SIGTERM');
        const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      },
    };
    this.running.add(supervised);
    void exited.then(() => this.running.delete(supervised));
    // 'close' comes after the last output; 'exit' may come before it.
    child.once('close', () => log.end());
    return supervised;
  }

  /**
   * Starts a server that prints "listening <url>" once it accepts connections, and waits for
   * that line; a child that exits first, or stays silent past timeoutMs, is an error.
   */
  async startListening(
    name: string,
    command: string,
    args: readonly string[],
    options: Omit<ChildOptions, 'onStdoutLine'> & { readonly timeoutMs: number },
  ): Promise<{ readonly url: string; readonly process: Supervised }> {
    let announce: (url: string) => void = () => undefined;
    const announced = new Promise<string>((resolve) => (announce = resolve));
    const child = this.start(name, command, args, {
      ...options,
      onStdoutLine: (line) => {
        const url = /^listening (\S+)$/.exec(line.trim())?.[1];
        if (url) announce(url);
      },
    });
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      announced,
      child.exited.then((code) => new Error(`${name} exited with ${code} before listening`)),
      new Promise<Error>((resolve) => {
        timer = setTimeout(
          () => resolve(new Error(`${name} did not listen within ${options.timeoutMs} ms`)),
          options.timeoutMs,
        );
      }),
    ]);
    clearTimeout(timer);
    if (outcome instanceof Error) {
      await child.stop();
      throw new Error(`${outcome.message} (log: ${child.logFile})`);
    }
    return { url: outcome, process: child };
  }

  /** Runs a child to its end, stopping it once timeoutMs has passed. */
  async run(
    name: string,
    command: string,
    args: readonly string[],
    options: ChildOptions & { readonly timeoutMs: number },
  ): Promise<Completion> {
    const startedAt = Date.now();
    const supervised = this.start(name, command, args, options);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      void supervised.stop();
    }, options.timeoutMs);
    const exitCode = await supervised.exited;
    clearTimeout(timer);
    return { exitCode, timedOut, durationMs: Date.now() - startedAt };
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.running].map((supervised) => supervised.stop()));
  }
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    // Negative pid: the whole process group the detached child leads.
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}
