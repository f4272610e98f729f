import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/** One token request as the endpoint received it: the form, without the client's secret. */
export interface TokenRequest {
  readonly grantType: string;
  readonly form: Record<string, string>;
}

interface Issued {
  readonly subject: string;
  readonly audience: string | undefined;
  readonly expiresAt: number;
  revoked: boolean;
}

export interface LoopbackTokenEndpointOptions {
  readonly clientId: string;
  readonly clientSecret: string;
  /** expires_in of the tokens it issues, in seconds. */
  readonly lifetimeSeconds: number;
  /** The agents' own tokens it accepts as subject tokens, and whose they are. */
  readonly subjects?: Readonly<Record<string, string>>;
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  response.end(JSON.stringify(body));
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * An OAuth 2.0 token endpoint on loopback for the tests: it authenticates its one client (HTTP
 * Basic), issues random tokens for the client credentials grant (to the client) and for token
 * exchange (to the subject token's owner, RFC 8693), counts what it was asked, and tells a
 * resource server whether a token is one it issued and has not revoked.
 */
export class LoopbackTokenEndpoint {
  readonly requests: TokenRequest[] = [];
  private readonly issued = new Map<string, Issued>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(options: LoopbackTokenEndpointOptions): Promise<LoopbackTokenEndpoint> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const endpoint = new LoopbackTokenEndpoint(server, `http://127.0.0.1:${port}/oauth/token`);
    server.on('request', (request, response) => {
      readBody(request)
        .then((body) => endpoint.answer(request, response, new URLSearchParams(body), options))
        .catch((error: Error) =>
          reply(response, 500, { error: 'server_error', error_description: error.message }),
        );
    });
    return endpoint;
  }

  grants(grantType: string): TokenRequest[] {
    return this.requests.filter((request) => request.grantType === grantType);
  }

  /** Whom a live token was issued to ('client' for client credentials), or undefined. */
  holderOf(token: string): string | undefined {
    const issued = this.issued.get(token);
    return issued && !issued.revoked && Date.now() < issued.expiresAt ? issued.subject : undefined;
  }

  audienceOf(token: string): string | undefined {
    return this.issued.get(token)?.audience;
  }

  revoke(token: string): void {
    const issued = this.issued.get(token);
    if (issued) issued.revoked = true;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private answer(
    request: IncomingMessage,
    response: ServerResponse,
    form: URLSearchParams,
    options: LoopbackTokenEndpointOptions,
  ): void {
    const grantType = form.get('grant_type') ?? '';
    this.requests.push({ grantType, form: Object.fromEntries(form) });
    const expected = `Basic ${Buffer.from(`${options.clientId}:${options.clientSecret}`).toString('base64')}`;
    if (request.headers.authorization !== expected) return reply(response, 401, { error: 'invalid_client' });
    let subject: string;
    if (grantType === 'client_credentials') {
      subject = 'client';
    } else if (grantType === 'urn:ietf:params:oauth:grant-type:token-exchange') {
      const owner = options.subjects?.[form.get('subject_token') ?? ''];
      if (!owner || form.get('subject_token_type') !== 'urn:ietf:params:oauth:token-type:access_token') {
        return reply(response, 400, { error: 'invalid_grant' });
      }
      subject = owner;
    } else {
      return reply(response, 400, { error: 'unsupported_grant_type' });
    }
    const token = `${subject}.${randomBytes(12).toString('base64url')}`;
    this.issued.set(token, {
      subject,
      audience: form.get('audience') ?? undefined,
      expiresAt: Date.now() + options.lifetimeSeconds * 1000,
      revoked: false,
    });
    reply(response, 200, {
      access_token: token,
      token_type: 'Bearer',
      expires_in: options.lifetimeSeconds,
      ...(grantType !== 'client_credentials' && {
        issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      }),
    });
  }
}
