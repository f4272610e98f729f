import { createInterface } from 'node:readline';
import { BenchCatalog, type JsonRpcRequest } from './bench-catalog';

/** The benchmark upstream over stdio: newline-delimited JSON-RPC on stdin and stdout. */
export function serveBenchStdio(): { close(): Promise<void> } {
  const catalog = new BenchCatalog('bench');
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  lines.on('line', (line) => {
    if (line.trim() === '') return;
    let message: JsonRpcRequest;
    try {
      message = JSON.parse(line) as JsonRpcRequest;
    } catch {
      process.stdout.write(
        `${JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } })}\n`,
      );
      return;
    }
    const answer = catalog.answer(message);
    if (answer !== undefined) process.stdout.write(`${JSON.stringify(answer)}\n`);
  });
  lines.once('close', () => process.exit(0));
  return {
    close: async () => {
      lines.close();
    },
  };
}
