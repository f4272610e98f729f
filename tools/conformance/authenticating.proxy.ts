import {
  createServer,
  type IncomingMessage,
  request as httpRequest,
  type Server,
  type ServerResponse,
} from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';

/** A running proxy in front of one target origin. */
export interface AuthenticatingProxy {
  /** The proxy's origin, e.g. http://127.0.0.1:41234: a target URL with its path appended. */
  readonly origin: string;
  /** The same path and query on the proxy instead of the target. */
  urlFor(targetUrl: string): string;
  close(): Promise<void>;
}

/** Headers of one connection, not of the message (RFC 9110 §7.6.1): never forwarded. */
const hopByHop = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/**
 * A loopback reverse proxy that adds a credential to every request. It exists because the
 * conformance suite's CLI (`conformance server --url`, 0.2.0-alpha.12) has no option to send a
 * header, and the gateway answers 401 to an MCP request without one. It forwards every method and
 * end-to-end header unchanged (Host and Origin included, so the gateway's DNS-rebinding checks see
 * what the suite sent) and streams both bodies as they flow, SSE streams included.
 *
 * `headers` are added to each request that does not carry them already, so a request the suite
 * authenticates itself (none of its server scenarios does) reaches the target as it was sent.
 */
export async function startAuthenticatingProxy(
  target: URL,
  headers: Readonly<Record<string, string>>,
): Promise<AuthenticatingProxy> {
  const server = createServer((request, response) => forward(target, headers, request, response));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    urlFor: (targetUrl) => {
      const url = new URL(targetUrl);
      return `${origin}${url.pathname}${url.search}`;
    },
    close: () => closeServer(server),
  };
}

function forward(
  target: URL,
  added: Readonly<Record<string, string>>,
  request: IncomingMessage,
  response: ServerResponse,
): void {
  const present = new Set(Object.keys(request.headers));
  const extra = Object.entries(added).filter(([name]) => !present.has(name.toLowerCase()));
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const outgoing = send(
    {
      protocol: target.protocol,
      hostname: target.hostname,
      port: target.port,
      method: request.method,
      path: request.url,
      // An array keeps repeated headers apart and adds nothing of its own (Host comes from the suite).
      headers: [...endToEnd(request.rawHeaders), ...extra.flat()],
    },
    (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.statusMessage, endToEnd(answer.rawHeaders));
      // SSE: the client sees the status and headers before the first event arrives.
      response.flushHeaders();
      answer.pipe(response);
      answer.once('error', () => response.destroy());
    },
  );
  outgoing.once('error', (error) => {
    if (response.headersSent || response.destroyed) {
      response.destroy();
      return;
    }
    response.writeHead(502, { 'content-type': 'text/plain' });
    response.end(`the authenticating proxy could not reach ${target.origin}: ${error.message}`);
  });
  // The suite dropping a stream (an SSE GET it is done with) ends the request to the target too.
  response.once('close', () => {
    if (!response.writableFinished) outgoing.destroy();
  });
  request.pipe(outgoing);
}

/** Raw headers (name, value, name, value...) without the hop-by-hop ones. */
function endToEnd(rawHeaders: readonly string[]): string[] {
  const named = new Set(hopByHop);
  for (let index = 0; index < rawHeaders.length; index += 2) {
    if (rawHeaders[index]!.toLowerCase() === 'connection') {
      for (const name of rawHeaders[index + 1]!.split(',')) named.add(name.trim().toLowerCase());
    }
  }
  const kept: string[] = [];
  for (let index = 0; index < rawHeaders.length; index += 2) {
    if (!named.has(rawHeaders[index]!.toLowerCase())) kept.push(rawHeaders[index]!, rawHeaders[index + 1]!);
  }
  return kept;
}

function closeServer(server: Server): Promise<void> {
  // Open SSE streams would keep close() waiting; the run is over, so they are cut.
  server.closeAllConnections();
  return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}
