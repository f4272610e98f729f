import { testAdminHeaders } from '@gateway/testing';

export interface AdminAnswer<T = Record<string, unknown>> {
  readonly status: number;
  readonly body: T;
}

/** The admin REST API as an operator calls it, with the test admin's key. */
export class AdminApi {
  constructor(
    private readonly baseUrl: string,
    private readonly headers: Readonly<Record<string, string>> = testAdminHeaders(),
  ) {}

  async send<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<AdminAnswer<T>> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { ...this.headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as T };
  }

  /** Like send, but a non-2xx answer fails the test with what the API said. */
  async ok<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
    const answer = await this.send<T>(method, path, body);
    if (answer.status < 200 || answer.status > 299) {
      throw new Error(`${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    }
    return answer.body;
  }

  /** A client-credentials token from the built-in issuer (RFC 6749 §4.4, RFC 8707 resource). */
  async token(clientId: string, clientSecret: string, scope: string, resource: string): Promise<string> {
    const response = await fetch(`${this.baseUrl}/oauth/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope, resource }).toString(),
    });
    const body = (await response.json()) as { access_token?: string };
    if (response.status !== 200 || !body.access_token) {
      throw new Error(`token endpoint: ${response.status} ${JSON.stringify(body)}`);
    }
    return body.access_token;
  }
}
