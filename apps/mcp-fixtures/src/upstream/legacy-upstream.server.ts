import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { WebSocketServer } from 'ws';
import { createLegacyUpstreamServer, type LegacyUpstreamStats } from './legacy-upstream.tools';
import { WebSocketServerTransport } from './websocket-server.transport';

/**
 * A 2025-era upstream for the router's integration tests, one process per replica, on loopback:
 * Streamable HTTP with sessions at /mcp (an unknown session id answers 404, as after a restart),
 * HTTP+SSE at /sse and /messages, WebSocket at /ws. /control lets a test make it forget its
 * sessions, go down (503) and come back, fail the next requests, and read what it saw.
 *
 * Run: node -r @swc-node/register apps/mcp-fixtures/src/upstream/legacy-upstream.server.ts
 * (PORT, default 0 = any; REPLICA names it in answers). Prints "listening <port>" when ready.
 */
const replica = process.env['REPLICA'] ?? 'a';
const stats: LegacyUpstreamStats = { calls: {}, cancelled: [], unsolicited: [] };
const streamable = new Map<string, StreamableHTTPServerTransport>();
const sse = new Map<string, SSEServerTransport>();
const control = { outage: false, failNext: 0, mcpPosts: 0 };

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function jsonRpcError(response: ServerResponse, status: number, message: string): void {
  reply(response, status, { jsonrpc: '2.0', error: { code: -32001, message }, id: null });
}

async function handleStreamable(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const sessionId = request.headers['mcp-session-id'];
  if (typeof sessionId === 'string') {
    const transport = streamable.get(sessionId);
    if (!transport) return jsonRpcError(response, 404, 'Session not found');
    return transport.handleRequest(request, response);
  }
  const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
    sessionIdGenerator: () => randomUUID(),
    onsessioninitialized: (id) => void streamable.set(id, transport),
  });
  transport.onclose = () => {
    if (transport.sessionId) streamable.delete(transport.sessionId);
  };
  await createLegacyUpstreamServer(replica, stats).connect(transport);
  await transport.handleRequest(request, response);
}

async function handleSse(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
  if (request.method === 'GET') {
    const transport = new SSEServerTransport('/messages', response);
    sse.set(transport.sessionId, transport);
    transport.onclose = () => sse.delete(transport.sessionId);
    await createLegacyUpstreamServer(replica, stats).connect(transport);
    return;
  }
  const transport = sse.get(url.searchParams.get('sessionId') ?? '');
  if (!transport) return jsonRpcError(response, 404, 'Session not found');
  await transport.handlePostMessage(request, response);
}

function handleControl(response: ServerResponse, url: URL): void {
  switch (url.pathname) {
    case '/control/stats':
      return reply(response, 200, { ...stats, mcpPosts: control.mcpPosts, sessions: [...streamable.keys()] });
    case '/control/forget-sessions':
      streamable.clear();
      return reply(response, 200, { ok: true });
    case '/control/outage':
      control.outage = url.searchParams.get('on') === '1';
      return reply(response, 200, { outage: control.outage });
    case '/control/fail-next':
      control.failNext = Number(url.searchParams.get('count') ?? '1');
      return reply(response, 200, { failNext: control.failNext });
    default:
      return reply(response, 404, { error: 'unknown control' });
  }
}

async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  if (url.pathname.startsWith('/control/')) return handleControl(response, url);
  if (control.outage) return jsonRpcError(response, 503, 'Service unavailable (outage)');
  if (url.pathname === '/mcp') {
    if (request.method === 'POST') {
      control.mcpPosts += 1;
      if (control.failNext > 0) {
        control.failNext -= 1;
        return jsonRpcError(response, 503, 'Service unavailable (failing on purpose)');
      }
    }
    return handleStreamable(request, response);
  }
  if (url.pathname === '/sse' || url.pathname === '/messages') return handleSse(request, response, url);
  reply(response, 404, { error: 'not found' });
}

const http = createServer((request, response) => {
  route(request, response).catch((error: Error) => {
    if (!response.headersSent) jsonRpcError(response, 500, error.message);
  });
});

const sockets = new WebSocketServer({
  noServer: true,
  handleProtocols: (protocols) => (protocols.has('mcp') ? 'mcp' : false),
});
http.on('upgrade', (request, socket, head) => {
  if (control.outage || new URL(request.url ?? '/', 'http://127.0.0.1').pathname !== '/ws') {
    socket.destroy();
    return;
  }
  sockets.handleUpgrade(request, socket, head, (webSocket) => {
    void createLegacyUpstreamServer(replica, stats).connect(
      new WebSocketServerTransport(webSocket, request.headers),
    );
  });
});

http.listen(Number(process.env['PORT'] ?? '0'), '127.0.0.1', () => {
  const address = http.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : 0}\n`);
});
