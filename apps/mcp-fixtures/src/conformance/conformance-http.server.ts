import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  localhostHostValidation,
  localhostOriginValidation,
  toNodeHandler,
  toWebRequest,
} from '@modelcontextprotocol/node';
import {
  createMcpHandler,
  DEFAULT_MAX_REQUEST_BODY_SIZE,
  InMemoryServerEventBus,
  isJsonContentType,
  isLegacyRequest,
} from '@modelcontextprotocol/server';
import { conformanceServerFactory } from './conformance-server.factory';
import { writeJsonRpcError } from './json-rpc-error.response';
import { LegacySessions } from './legacy-sessions';

export interface ConformanceHttpServer {
  /** The MCP endpoint, e.g. http://127.0.0.1:41234/mcp. */
  readonly url: string;
  close(): Promise<void>;
}

const endpointPath = '/mcp';

/**
 * Serves both protocol eras on one endpoint: 2026-07-28 requests (per-request `_meta` envelope) go
 * to the SDK's stateless handler, everything else (initialize, sessions, GET stream, DELETE) to
 * sessionful 2025-era transports. Host and Origin must be localhost (DNS rebinding protection);
 * the server listens on 127.0.0.1 only.
 */
export async function startConformanceHttpServer(port: number): Promise<ConformanceHttpServer> {
  const events = new InMemoryServerEventBus();
  const factory = conformanceServerFactory({ events });
  const modern = createMcpHandler(factory, { legacy: 'reject', bus: events });
  const serveModern = toNodeHandler(modern);
  const legacy = new LegacySessions(factory);
  const validHost = localhostHostValidation();
  const validOrigin = localhostOriginValidation();

  const route = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    // The guards answer 403 themselves.
    if (!validHost(request, response) || !validOrigin(request, response)) return;
    if (new URL(request.url ?? '/', 'http://localhost').pathname !== endpointPath) {
      return writeJsonRpcError(response, 404, -32601, `Not found: the MCP endpoint is ${endpointPath}`);
    }
    let body: unknown;
    if (request.method === 'POST') {
      if (!isJsonContentType(request.headers['content-type'])) {
        return writeJsonRpcError(response, 415, -32000, 'Unsupported Media Type: expected application/json');
      }
      const text = await readBody(request);
      if (text === undefined) return writeJsonRpcError(response, 413, -32000, 'Request body too large');
      try {
        body = JSON.parse(text);
      } catch {
        return writeJsonRpcError(response, 400, -32700, 'Parse error: the body is not JSON');
      }
    }
    // The body is already read: classify from the parsed value, hand the same value to either leg.
    const legacyRequest = await isLegacyRequest(await toWebRequest(request, body), body);
    if (legacyRequest) await legacy.handle(request, response, body);
    else await serveModern(request, response, body);
  };

  const server = createServer((request, response) => {
    route(request, response).catch((error: unknown) => {
      process.stderr.write(`conformance fixture: ${error instanceof Error ? error.stack : String(error)}\n`);
      if (!response.headersSent) writeJsonRpcError(response, 500, -32603, 'Internal error');
      else response.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const { port: boundPort } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${boundPort}${endpointPath}`,
    close: async () => {
      await Promise.allSettled([legacy.closeAll(), modern.close()]);
      // Open SSE streams would otherwise keep close() waiting.
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The body as text, or undefined once it passes the SDK's default size bound. */
async function readBody(request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size > DEFAULT_MAX_REQUEST_BODY_SIZE) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
