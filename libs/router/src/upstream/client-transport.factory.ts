import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { WebSocketClientTransport } from '@modelcontextprotocol/sdk/client/websocket.js';
import type { ServerDefinitionValue } from '@gateway/contracts';

export interface TransportHooks {
  /** Each line an stdio server writes to stderr. */
  readonly onStderrLine: (line: string) => void;
}

/** "node" runs the gateway's own Node.js binary, so stdio servers get the same runtime everywhere. */
function resolveCommand(command: string): string {
  return command === 'node' ? process.execPath : command;
}

function stdioTransport(server: ServerDefinitionValue, hooks: TransportHooks): Transport {
  if (!server.stdio) throw new Error(`server "${server.name}" has no stdio settings`);
  const transport = new StdioClientTransport({
    command: resolveCommand(server.stdio.command),
    args: server.stdio.args,
    // The child sees PATH and HOME but none of the gateway's secrets unless configured.
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...server.stdio.env },
    cwd: server.stdio.cwd,
    stderr: 'pipe',
  });
  let partial = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) hooks.onStderrLine(line);
  });
  return transport;
}

/** The MCP SDK client transport for a server definition. */
export function createClientTransport(server: ServerDefinitionValue, hooks: TransportHooks): Transport {
  switch (server.transport) {
    case 'stdio':
      return stdioTransport(server, hooks);
    case 'streamable-http':
      return new StreamableHTTPClientTransport(new URL(requireUrl(server)), {
        requestInit: { headers: server.http?.headers },
      });
    case 'sse':
      return new SSEClientTransport(new URL(requireUrl(server)), {
        requestInit: { headers: server.http?.headers },
      });
    case 'websocket':
      return new WebSocketClientTransport(new URL(requireUrl(server)));
  }
}

function requireUrl(server: ServerDefinitionValue): string {
  if (!server.http) throw new Error(`server "${server.name}" has no http settings`);
  return server.http.url;
}
