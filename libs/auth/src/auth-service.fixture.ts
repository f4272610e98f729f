import { createPublicKey, randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { INestApplication } from '@nestjs/common';
import { lastValueFrom } from 'rxjs';
import {
  AdminChange,
  type AdminChangeValue,
  type AuthApi,
  GrpcPackages,
  RevocationRecord,
  type RevocationValue,
  SecurityEvent,
  type SecurityEventValue,
  SigningKeyRecord,
  type SigningKeyValue,
} from '@gateway/contracts';
import {
  createGrpcClient,
  EVENT_BUS,
  type EventBus,
  PlatformModule,
  startServiceProcess,
  type Subscription,
} from '@gateway/platform';
import { EnvelopeCipher } from '@gateway/security';
import { type AuthConfig, loadAuthConfig } from './auth-config';
import { AuthModule, authGrpcPackages } from './auth.module';

/* The auth service over HTTP and gRPC for the integration suites, and what it publishes. */

export interface AuthServiceUnderTest {
  readonly app: INestApplication;
  readonly baseUrl: string;
  readonly config: AuthConfig;
  readonly bus: EventBus;
  readonly published: PublishedRecords;
  verifyApiKey(apiKey: string): Promise<AuthApi.VerifyApiKeyResponse>;
  close(): Promise<void>;
}

export interface AuthServiceOptions {
  readonly databaseUrl: string;
  readonly schema: string;
  /** A unix socket path or host:port for the gRPC server. */
  readonly grpcAddress: string;
  /** AUTH_* variables (the issuer is best given: the service's URL is known only once it listens). */
  readonly env?: NodeJS.ProcessEnv;
  readonly masterKey?: Buffer;
}

/** Every record the service published, in order, per topic; null values are tombstones. */
export class PublishedRecords {
  readonly signingKeys: Array<{ key: string; value: SigningKeyValue | null }> = [];
  readonly revocations: Array<{ key: string; value: RevocationValue | null }> = [];
  readonly adminChanges: AdminChangeValue[] = [];
  readonly securityEvents: SecurityEventValue[] = [];
  private readonly subscriptions: Subscription[] = [];

  async follow(bus: EventBus): Promise<void> {
    const groupId = `auth-test-${randomBytes(4).toString('hex')}`;
    const follow = async (topic: string, record: (key: string, value: unknown) => void): Promise<void> => {
      this.subscriptions.push(
        await bus.subscribe({ topic, groupId, fromBeginning: true }, async (message) => {
          record(message.key, message.value);
        }),
      );
    };
    await follow(SigningKeyRecord.topic.name, (key, value) =>
      this.signingKeys.push({ key, value: value as SigningKeyValue | null }),
    );
    await follow(RevocationRecord.topic.name, (key, value) =>
      this.revocations.push({ key, value: value as RevocationValue | null }),
    );
    await follow(AdminChange.topic.name, (_key, value) => this.adminChanges.push(value as AdminChangeValue));
    await follow(SecurityEvent.topic.name, (_key, value) =>
      this.securityEvents.push(value as SecurityEventValue),
    );
  }

  async close(): Promise<void> {
    await Promise.all(this.subscriptions.map((subscription) => subscription.close()));
  }
}

export const testMasterKey = randomBytes(32);

export async function startAuthService(options: AuthServiceOptions): Promise<AuthServiceUnderTest> {
  const config = loadAuthConfig({ ...options.env });
  const app = await startServiceProcess({
    name: 'auth-int',
    modules: [
      PlatformModule.forRoot({
        processName: 'auth-int',
        bus: { kind: 'in-process' },
        databaseUrl: options.databaseUrl,
      }),
      AuthModule.forRoot(config, new EnvelopeCipher(options.masterKey ?? testMasterKey), {
        schema: options.schema,
      }),
    ],
    http: { host: '127.0.0.1', port: 0 },
    grpc: { address: options.grpcAddress, packages: authGrpcPackages },
  });
  const bus = app.get<EventBus>(EVENT_BUS);
  const published = new PublishedRecords();
  await published.follow(bus);
  const client = createGrpcClient<AuthApi.AuthServiceClient>(GrpcPackages.auth, options.grpcAddress);
  return {
    app,
    baseUrl: await app.getUrl(),
    config,
    bus,
    published,
    verifyApiKey: (apiKey) => lastValueFrom(client.verifyApiKey({ apiKey })),
    close: async () => {
      await published.close();
      await app.close();
    },
  };
}

/** A JSON request to the service; the answer's status and parsed body. */
export async function requestJson(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: unknown; headers: Headers }> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text ? (JSON.parse(text) as unknown) : undefined,
    headers: response.headers,
  };
}

/** A form POST to the OAuth endpoints, authenticating with HTTP Basic when credentials are given. */
export async function postForm(
  baseUrl: string,
  path: string,
  form: Record<string, string | string[]>,
  client?: { id: string; secret: string },
): Promise<{ status: number; body: Record<string, unknown> | undefined; headers: Headers }> {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(form)) {
    for (const item of Array.isArray(value) ? value : [value]) body.append(name, item);
  }
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (client) {
    const encoded = `${encodeURIComponent(client.id)}:${encodeURIComponent(client.secret)}`;
    headers['authorization'] = `Basic ${Buffer.from(encoded).toString('base64')}`;
  }
  const response = await fetch(`${baseUrl}${path}`, { method: 'POST', headers, body });
  const text = await response.text();
  return {
    status: response.status,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined,
    headers: response.headers,
  };
}

export interface AgentClient {
  readonly agentId: string;
  readonly client: { readonly id: string; readonly secret: string };
}

/** Creates an agent through the admin API and gives it a client secret. */
export async function createAgentClient(
  baseUrl: string,
  agent: { name: string; scopes: string[]; roles?: string[]; teams?: string[] },
): Promise<AgentClient> {
  const created = await requestJson(baseUrl, 'POST', '/api/v1/auth/agents', agent);
  if (created.status !== 201) throw new Error(`agent not created: ${JSON.stringify(created.body)}`);
  const { id } = created.body as { id: string };
  const secret = await requestJson(baseUrl, 'POST', `/api/v1/auth/agents/${id}/client-secrets`, {});
  const { client_id, client_secret } = secret.body as { client_id: string; client_secret: string };
  return { agentId: id, client: { id: client_id, secret: client_secret } };
}

/** Verifies a token as any relying party would: with the public key the JWKS lists for its kid. */
export async function verifyWithJwks(
  baseUrl: string,
  token: string,
  options: jwt.VerifyOptions = {},
): Promise<jwt.JwtPayload> {
  const { keys } = (await (await fetch(`${baseUrl}/.well-known/jwks.json`)).json()) as {
    keys: Array<Record<string, string>>;
  };
  const kid = jwt.decode(token, { complete: true })?.header.kid;
  const jwk = keys.find((key) => key['kid'] === kid);
  if (!jwk) throw new Error(`the JWKS lists no key ${kid}`);
  const publicKey = createPublicKey({
    key: { kty: jwk['kty'], crv: jwk['crv'], x: jwk['x'], y: jwk['y'] },
    format: 'jwk',
  });
  return jwt.verify(token, publicKey, {
    ...options,
    algorithms: ['ES256'],
    complete: false,
  }) as jwt.JwtPayload;
}
