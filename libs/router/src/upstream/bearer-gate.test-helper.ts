import { createServer, type IncomingHttpHeaders, request, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';

/**
 * An upstream's authentication in front of a fixture server, on loopback: every HTTP request and
 * WebSocket upgrade is checked by `authorized` (refused with 401 like a resource server) and
 * passed through unchanged, streams included. It records the credentials each request carried.
 */
export class BearerGate {
  /** The Authorization header of every request, in arrival order ('' when absent). */
  readonly authorizations: string[] = [];
  refusals = 0;
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(
    targetPort: number,
    authorized: (headers: IncomingHttpHeaders) => boolean,
  ): Promise<BearerGate> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const gate = new BearerGate(server, typeof address === 'object' && address ? address.port : 0);
    server.on('request', (incoming, outgoing) => {
      if (!gate.admit(incoming.headers, authorized)) {
        outgoing.writeHead(401, { 'www-authenticate': 'Bearer', 'content-length': '0' }).end();
        return;
      }
      const forwarded = request(
        {
          host: '127.0.0.1',
          port: targetPort,
          method: incoming.method,
          path: incoming.url,
          headers: incoming.headers,
        },
        (answer) => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
        },
      );
      forwarded.on('error', () => outgoing.destroy());
      outgoing.on('close', () => forwarded.destroy());
      incoming.pipe(forwarded);
    });
    server.on('upgrade', (incoming, socket: Socket, head: Buffer) => {
      gate.sockets.add(socket);
      if (!gate.admit(incoming.headers, authorized)) {
        socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
        return;
      }
      const target = connect(targetPort, '127.0.0.1', () => {
        const lines = [`${incoming.method} ${incoming.url} HTTP/1.1`];
        for (let index = 0; index < incoming.rawHeaders.length; index += 2) {
          lines.push(`${incoming.rawHeaders[index]}: ${incoming.rawHeaders[index + 1]}`);
        }
        target.write(`${lines.join('\r\n')}\r\n\r\n`);
        target.write(head);
        socket.pipe(target).pipe(socket);
      });
      gate.sockets.add(target);
      target.on('error', () => socket.destroy());
      socket.on('error', () => target.destroy());
    });
    return gate;
  }

  url(path: string, scheme = 'http'): string {
    return `${scheme}://127.0.0.1:${this.port}${path}`;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private admit(
    headers: IncomingHttpHeaders,
    authorized: (headers: IncomingHttpHeaders) => boolean,
  ): boolean {
    this.authorizations.push(headers.authorization ?? '');
    if (authorized(headers)) return true;
    this.refusals += 1;
    return false;
  }
}
