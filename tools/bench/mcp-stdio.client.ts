import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { benchProtocolVersion, BenchRequestError, resultOf, type RpcResult } from './mcp-http.client';

interface Pending {
  readonly method: string;
  readonly resolve: (result: RpcResult) => void;
  readonly reject: (error: Error) => void;
}

/**
 * A stdio MCP server the harness starts itself, for the direct side of `call-stdio`: one process,
 * one initialize, any number of requests in flight over its pipe (as the gateway's own shared
 * stdio session multiplexes its clients).
 */
export class McpStdioConnection {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', (line) => this.receive(line));
    child.once('exit', (code, signal) => {
      const error = new BenchRequestError(`stdio server exited (${signal ?? code})`);
      for (const pending of this.pending.values()) pending.reject(error);
      this.pending.clear();
    });
  }

  static async start(command: string, args: readonly string[], cwd: string): Promise<McpStdioConnection> {
    const child = spawn(command, args, { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    child.stderr.resume();
    const connection = new McpStdioConnection(child);
    await connection.request('initialize', {
      protocolVersion: benchProtocolVersion,
      capabilities: {},
      clientInfo: { name: 'mcp-gateway-bench', version: '1.0.0' },
    });
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
    return connection;
  }

  request(method: string, params: Record<string, unknown>): Promise<RpcResult> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { method, resolve, reject });
      this.child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
    });
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }

  private receive(line: string): void {
    let message: { id?: unknown; method?: unknown };
    try {
      message = JSON.parse(line) as { id?: unknown; method?: unknown };
    } catch {
      return; // A server's stray stdout line is not an answer.
    }
    if (typeof message.id !== 'number' || message.method !== undefined) return;
    const pending = this.pending.get(message.id);
    if (!pending) return;
    this.pending.delete(message.id);
    try {
      pending.resolve(resultOf(message, message.id, pending.method));
    } catch (error) {
      pending.reject(error as Error);
    }
  }
}
