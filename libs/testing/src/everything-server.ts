import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { freePort } from './free-port';
import { repositoryRoot } from './service-process';
import { waitFor } from './wait-for';

export type EverythingTransport = 'sse' | 'streamableHttp';

const entryPoint = join(repositoryRoot, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
const loopbackPreload = pathToFileURL(join(__dirname, 'loopback-only.preload.mjs')).href;

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * The MCP reference server over HTTP (SSE or Streamable HTTP) as its own process on a loopback
 * port, for the gateway to reach as a remote upstream.
 */
export class EverythingServer {
  private constructor(
    private readonly child: ChildProcess,
    private readonly exited: Promise<number | null>,
    readonly port: number,
    readonly transport: EverythingTransport,
    readonly logFile: string,
  ) {}

  /** The URL the gateway's `http.url` names: /sse for SSE, /mcp for Streamable HTTP. */
  get url(): string {
    return `http://127.0.0.1:${this.port}/${this.transport === 'sse' ? 'sse' : 'mcp'}`;
  }

  /** `env` is added to the server's environment (its get-env tool shows it, to tell servers apart). */
  static async start(
    transport: EverythingTransport,
    logDir: string,
    env: Readonly<Record<string, string>> = {},
  ): Promise<EverythingServer> {
    mkdirSync(logDir, { recursive: true });
    const port = await freePort();
    const logFile = join(logDir, `everything-${transport}.log`);
    const log = createWriteStream(logFile, { flags: 'a' });
    const child = spawn(process.execPath, ['--import', loopbackPreload, entryPoint, transport], {
      cwd: repositoryRoot,
      env: { PATH: process.env['PATH'], HOME: process.env['HOME'], ...env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    let exitCode: number | null | undefined;
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => {
        exitCode = code;
        resolve(code);
      }),
    );
    const server = new EverythingServer(child, exited, port, transport, logFile);
    try {
      await waitFor(
        async () => {
          if (exitCode !== undefined) throw new Error(`exited with ${exitCode}; see ${logFile}`);
          return accepts(port);
        },
        { timeoutMs: 20_000, description: `server-everything (${transport}) to listen on ${port}` },
      );
    } catch (error) {
      await server.stop();
      throw error;
    }
    return server;
  }

  async stop(graceMs = 5_000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
