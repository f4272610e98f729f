/**
 * What the benchmark upstream serves, independent of the transport: an `echo` tool, a `blob`
 * tool returning N bytes of text, and catalogs of many tools for the list scenario. Answers are
 * built once and reused where they do not depend on the request, so the fixture stays cheaper
 * than whatever is measured in front of it.
 */

export const benchProtocolVersions = ['2025-11-25', '2025-06-18', '2025-03-26'] as const;

export interface JsonRpcRequest {
  readonly jsonrpc: '2.0';
  readonly id?: string | number | null;
  readonly method?: string;
  readonly params?: Record<string, unknown>;
}

export type JsonRpcAnswer =
  | { readonly jsonrpc: '2.0'; readonly id: string | number | null; readonly result: unknown }
  | {
      readonly jsonrpc: '2.0';
      readonly id: string | number | null;
      readonly error: { code: number; message: string };
    };

/** Requests seen per method, for the harness to count upstream requests per client request. */
export type MethodCounts = Record<string, number>;

const maxBlobBytes = 16 * 1024 * 1024;

interface ToolDefinition {
  readonly name: string;
  readonly description: string;
  readonly inputSchema: Record<string, unknown>;
}

const primaryTools: readonly ToolDefinition[] = [
  {
    name: 'echo',
    description: 'Returns the message it is given.',
    inputSchema: { type: 'object', properties: { message: { type: 'string' } }, required: ['message'] },
  },
  {
    name: 'blob',
    description: 'Returns a text of the given number of bytes.',
    inputSchema: {
      type: 'object',
      properties: { bytes: { type: 'integer', minimum: 0, maximum: maxBlobBytes } },
      required: ['bytes'],
    },
  },
];

function catalogTools(size: number): ToolDefinition[] {
  return Array.from({ length: size }, (_, index) => ({
    name: `tool_${String(index).padStart(2, '0')}`,
    description: `Catalog tool ${index}: returns the value it is given, prefixed with its name.`,
    inputSchema: {
      type: 'object',
      properties: { value: { type: 'string', description: 'Any text.' } },
      required: ['value'],
    },
  }));
}

/** One served catalog: the primary tools (path /mcp, stdio) or `size` catalog tools. */
export class BenchCatalog {
  private readonly tools: readonly ToolDefinition[];
  private readonly toolNames: ReadonlySet<string>;
  private readonly blobs = new Map<number, string>();

  constructor(
    private readonly serverName: string,
    catalogSize?: number,
  ) {
    this.tools = catalogSize === undefined ? primaryTools : catalogTools(catalogSize);
    this.toolNames = new Set(this.tools.map((tool) => tool.name));
  }

  /** The answer to a request, or undefined for a notification or a response. */
  answer(message: JsonRpcRequest): JsonRpcAnswer | undefined {
    if (message.id === undefined || message.method === undefined) return undefined;
    const id = message.id;
    switch (message.method) {
      case 'initialize':
        return { jsonrpc: '2.0', id, result: this.initializeResult(message.params) };
      case 'ping':
        return { jsonrpc: '2.0', id, result: {} };
      case 'tools/list':
        return { jsonrpc: '2.0', id, result: { tools: this.tools } };
      case 'tools/call':
        return this.call(id, message.params ?? {});
      default:
        return {
          jsonrpc: '2.0',
          id,
          error: { code: -32601, message: `Method not found: ${message.method}` },
        };
    }
  }

  private initializeResult(params: Record<string, unknown> | undefined): unknown {
    const requested = params?.['protocolVersion'];
    const protocolVersion = benchProtocolVersions.includes(
      requested as (typeof benchProtocolVersions)[number],
    )
      ? requested
      : benchProtocolVersions[0];
    return {
      protocolVersion,
      capabilities: { tools: { listChanged: false } },
      serverInfo: { name: this.serverName, version: '1.0.0' },
    };
  }

  private call(id: string | number | null, params: Record<string, unknown>): JsonRpcAnswer {
    const name = params['name'];
    const args = (params['arguments'] ?? {}) as Record<string, unknown>;
    if (typeof name !== 'string' || !this.toolNames.has(name)) {
      return { jsonrpc: '2.0', id, error: { code: -32602, message: `Unknown tool: ${String(name)}` } };
    }
    const text = this.callText(name, args);
    if (text === undefined) {
      return { jsonrpc: '2.0', id, error: { code: -32602, message: `Invalid arguments for ${name}` } };
    }
    return { jsonrpc: '2.0', id, result: { content: [{ type: 'text', text }] } };
  }

  private callText(name: string, args: Record<string, unknown>): string | undefined {
    switch (name) {
      case 'echo':
        return typeof args['message'] === 'string' ? args['message'] : undefined;
      case 'blob': {
        const bytes = args['bytes'];
        if (typeof bytes !== 'number' || !Number.isInteger(bytes) || bytes < 0 || bytes > maxBlobBytes) {
          return undefined;
        }
        let blob = this.blobs.get(bytes);
        if (blob === undefined) {
          blob = 'x'.repeat(bytes);
          this.blobs.set(bytes, blob);
        }
        return blob;
      }
      default:
        return typeof args['value'] === 'string' ? `${name}:${args['value']}` : undefined;
    }
  }
}

export function countMethod(counts: MethodCounts, message: JsonRpcRequest): void {
  if (message.method === undefined) return;
  counts[message.method] = (counts[message.method] ?? 0) + 1;
}
