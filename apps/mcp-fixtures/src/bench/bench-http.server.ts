import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BenchCatalog, countMethod, type JsonRpcRequest, type MethodCounts } from './bench-catalog';

export interface BenchHttpOptions {
  readonly port: number;
  /** Catalog servers at /catalog/<0..catalogs-1>/mcp. */
  readonly catalogs: number;
  readonly catalogTools: number;
}

export interface BenchHttpServer {
  readonly url: string;
  close(): Promise<void>;
}

const catalogPath = /^\/catalog\/(\d+)\/mcp$/;

/**
 * The benchmark upstream over 2025-era Streamable HTTP with sessions, answering every request
 * with a JSON body (the transport lets a server choose JSON or SSE; JSON is the cheaper one).
 * /mcp serves echo and blob; /catalog/<i>/mcp serve the list scenario's catalogs. GET /stats
 * tells the requests seen per method and the sessions open.
 */
export async function startBenchHttpServer(options: BenchHttpOptions): Promise<BenchHttpServer> {
  const primary = new BenchCatalog('bench');
  const catalogs = Array.from(
    { length: options.catalogs },
    (_, index) => new BenchCatalog(`bench-catalog-${index}`, options.catalogTools),
  );
  const sessions = new Map<string, BenchCatalog>();
  const counts: MethodCounts = {};

  const catalogFor = (path: string): BenchCatalog | undefined => {
    if (path === '/mcp') return primary;
    const match = catalogPath.exec(path);
    return match ? catalogs[Number(match[1])] : undefined;
  };

  const handle = (request: IncomingMessage, response: ServerResponse, body: string): void => {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    if (path === '/stats' && request.method === 'GET') {
      return json(response, 200, { requests: counts, sessions: sessions.size });
    }
    const catalog = catalogFor(path);
    if (!catalog) return json(response, 404, { error: `no MCP endpoint at ${path}` });
    const sessionId = request.headers['mcp-session-id'];
    if (request.method === 'DELETE') {
      if (typeof sessionId !== 'string' || !sessions.delete(sessionId))
        return rpcError(response, 404, 'Session not found');
      return void response.writeHead(200).end();
    }
    if (request.method !== 'POST') {
      return void response.writeHead(405, { allow: 'POST, DELETE' }).end();
    }
    let message: JsonRpcRequest;
    try {
      message = JSON.parse(body) as JsonRpcRequest;
    } catch {
      return rpcError(response, 400, 'Parse error', -32700);
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      return rpcError(response, 400, 'Invalid Request: one JSON-RPC message per POST', -32600);
    }
    countMethod(counts, message);
    if (message.method === 'initialize' && sessionId === undefined) {
      const id = randomUUID();
      sessions.set(id, catalog);
      return json(response, 200, catalog.answer(message), { 'mcp-session-id': id });
    }
    if (typeof sessionId !== 'string')
      return rpcError(response, 400, 'Bad Request: No valid session ID provided');
    if (sessions.get(sessionId) !== catalog) return rpcError(response, 404, 'Session not found');
    const answer = catalog.answer(message);
    if (answer === undefined) return void response.writeHead(202).end();
    json(response, 200, answer);
  };

  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => handle(request, response, Buffer.concat(chunks).toString('utf8')));
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(options.port, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function json(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response
    .writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
      ...headers,
    })
    .end(text);
}

function rpcError(response: ServerResponse, status: number, message: string, code = -32001): void {
  json(response, status, { jsonrpc: '2.0', id: null, error: { code, message } });
}
