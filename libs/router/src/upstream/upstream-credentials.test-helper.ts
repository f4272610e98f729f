import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { ServerCredential, ServerDefinitionValue } from '@gateway/contracts';
import { EnvelopeCipher } from '@gateway/security';
import { BearerGate } from './bearer-gate.test-helper';
import { LoopbackTokenEndpoint } from './token-endpoint.test-helper';
import {
  downstreamClient,
  resultJson,
  serverDefinition,
  testRouterConfig,
  UpstreamFixture,
} from './upstream-fixture.test-helper';
import { UpstreamPool } from './upstream-pool';
import type { UpstreamCaller, UpstreamServer } from './upstream-session';

export const tokenClient = { clientId: 'mcp-gateway', clientSecret: 'client-secret-b7e1' };

/**
 * What the credential tests run against: the legacy fixture server, and per test the gates in
 * front of it, token endpoints and pools, stopped after the test (pools first, so their
 * sessions end while the gates still answer).
 */
export class CredentialTestbed {
  readonly cipher = new EnvelopeCipher(randomBytes(32));
  private fixture: UpstreamFixture | undefined;
  private readonly stoppers: Array<() => Promise<void>> = [];

  async start(): Promise<void> {
    this.fixture = await UpstreamFixture.start('legacy');
  }

  async afterEach(): Promise<void> {
    for (const stop of this.stoppers.splice(0).reverse()) await stop();
  }

  async stop(): Promise<void> {
    await this.afterEach();
    await this.fixture?.stop();
  }

  /** The credential as the registry puts it on the catalog record. */
  sealed(serverId: string, credential: ServerCredential): ServerDefinitionValue['credentials'] {
    return {
      kind: credential.kind,
      sealed: this.cipher.encrypt(JSON.stringify(credential), `server-credential:${serverId}`),
    };
  }

  pool(options: { withMasterKey: boolean } = { withMasterKey: true }): UpstreamPool {
    const created = new UpstreamPool({
      ...testRouterConfig,
      credentialCipher: options.withMasterKey ? this.cipher : undefined,
    });
    this.stoppers.push(() => created.onApplicationShutdown());
    return created;
  }

  async gate(authorized: (headers: IncomingHttpHeaders) => boolean): Promise<BearerGate> {
    const started = await BearerGate.start(this.fixture!.port, authorized);
    this.stoppers.push(() => started.stop());
    return started;
  }

  async tokenEndpoint(subjects?: Record<string, string>): Promise<LoopbackTokenEndpoint> {
    const started = await LoopbackTokenEndpoint.start({ ...tokenClient, lifetimeSeconds: 3_600, subjects });
    this.stoppers.push(() => started.stop());
    return started;
  }
}

/** A server definition whose endpoint is the gate (the transport's path on it). */
export function behindGate(
  gate: BearerGate,
  definition: Pick<ServerDefinitionValue, 'id'> & Partial<ServerDefinitionValue>,
): ServerDefinitionValue {
  const transport = definition.transport ?? 'streamable-http';
  const url = {
    'streamable-http': gate.url('/mcp'),
    sse: gate.url('/sse'),
    websocket: gate.url('/ws', 'ws'),
    stdio: '',
  }[transport];
  return serverDefinition({ transport, http: { url, headers: {} }, ...definition });
}

/** The fixture's whoami tool: the Authorization header the upstream received with the call. */
export async function whoami(
  server: UpstreamServer,
  options: { caller?: UpstreamCaller; sessionKey?: string } = {},
): Promise<{ authorization?: string }> {
  const result = await server.request(
    'tools/call',
    { name: 'whoami' },
    {
      client: downstreamClient(options.sessionKey ? { sessionKey: options.sessionKey } : {}),
      timeoutMs: 5_000,
      caller: options.caller,
    },
  );
  return resultJson<{ authorization?: string }>(result);
}

/** The token of a bearer Authorization header ('' when there is none). */
export function bearerOf(headers: { authorization?: string }): string {
  return headers.authorization?.replace(/^Bearer /, '') ?? '';
}
