import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { lastValueFrom } from 'rxjs';
import { Client } from 'pg';
import pino from 'pino';
import {
  AdminChange,
  type AdminChangeValue,
  CatalogRecord,
  type CatalogRecordValue,
  GrpcPackages,
  type RegistryApi,
  type ServerDefinitionValue,
} from '@gateway/contracts';
import {
  createGrpcClient,
  KafkaEventBus,
  PlatformModule,
  publishTombstone,
  startServiceProcess,
  type Subscription,
} from '@gateway/platform';
import { EnvelopeCipher } from '@gateway/security';
import { freePort, waitFor } from '@gateway/testing';
import { parseGatewayConfigFile, type RegistryConfig } from '../registry-config';
import { RegistryModule, registryGrpcPackages } from '../registry.module';
import { CredentialSealer } from './server-credential.sealer';

process.env['LOG_LEVEL'] ??= process.env['TEST_LOG_LEVEL'] ?? 'silent';

jest.setTimeout(120_000);

const brokers = process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092';
const databaseUrl = process.env['DATABASE_URL'] ?? 'postgres://gateway:gateway@127.0.0.1:55432/gateway';
const run = randomBytes(4).toString('hex');
const schema = `registry_test_${run}`;
const masterKey = randomBytes(32);
const sealer = new CredentialSealer(new EnvelopeCipher(masterKey));

/* Disabled servers of this run only: the topics are the real ones, which routers read too. */
const servers = {
  remote: `credint-${run}-remote`,
  tools: `credint-${run}-tools`,
  shared: `credint-${run}-shared`,
};
const secrets = {
  declared: `declared-bearer-${run}`,
  github: `ghp-api-${run}`,
  replaced: `ghp-replaced-${run}`,
};
const env = { GATEWAY_MASTER_KEY: masterKey.toString('hex'), CREDINT_TOKEN: secrets.declared };

function configFile(): RegistryConfig {
  const text = [
    'servers:',
    `  - id: ${servers.remote}`,
    '    enabled: false',
    '    transport: streamable-http',
    '    http: { url: "https://remote.example/mcp" }',
    '    credentials: { kind: bearer, token: { valueFromEnv: CREDINT_TOKEN } }',
    `  - id: ${servers.tools}`,
    '    enabled: false',
    '    transport: stdio',
    '    stdio: { command: node }',
    `  - id: ${servers.shared}`,
    '    enabled: false',
    '    transport: streamable-http',
    '    sessions: shared',
    '    http: { url: "https://shared.example/mcp" }',
  ].join('\n');
  const { servers: declared } = parseGatewayConfigFile(text, 'test.yaml', {});
  return { configFile: 'test.yaml', servers: declared, virtualServers: [], grpcAddress: '' };
}

interface Registry {
  readonly app: INestApplication;
  readonly baseUrl: string;
  readonly grpcAddress: string;
}

async function startRegistry(registryEnv: NodeJS.ProcessEnv): Promise<Registry> {
  const grpcAddress = `127.0.0.1:${await freePort()}`;
  const app = await startServiceProcess({
    name: 'registry-credentials-int',
    modules: [
      PlatformModule.forRoot({
        processName: `registry-credentials-int-${run}`,
        bus: { kind: 'kafka', brokers: brokers.split(',') },
        databaseUrl,
      }),
      RegistryModule.forRoot({ ...configFile(), grpcAddress }, { schema, env: registryEnv }),
    ],
    http: { host: '127.0.0.1', port: 0 },
    grpc: { address: grpcAddress, packages: registryGrpcPackages },
  });
  const baseUrl = await app.getUrl();
  await waitFor(async () => (await fetch(`${baseUrl}/readyz`)).status === 200, {
    timeoutMs: 60_000,
    description: 'the registry to migrate its schema, load, and reach Kafka',
  });
  return { app, baseUrl, grpcAddress };
}

interface CredentialRow {
  server_id: string;
  kind: string;
  sealed: string;
  metadata: Record<string, unknown>;
  source: string;
}

describe('server credentials through the admin API, Postgres and Kafka', () => {
  const sql = new Client({ connectionString: databaseUrl });
  const observer = new KafkaEventBus({
    brokers: brokers.split(','),
    clientId: `registry-credentials-int-observer-${run}`,
    logger: pino({ level: 'silent' }),
  });
  const subscriptions: Subscription[] = [];
  const records: Array<{ key: string; value: CatalogRecordValue | null; text: string }> = [];
  const changes: AdminChangeValue[] = [];
  let registry: Registry | undefined;

  const recordsOf = (serverId: string): Array<ServerDefinitionValue | null> =>
    records.filter((record) => record.key === serverId).map((record) => record.value?.server ?? null);

  async function credentialRow(serverId: string): Promise<CredentialRow | undefined> {
    const result = await sql.query<CredentialRow>(
      `SELECT server_id, kind, sealed, metadata, source FROM "${schema}".server_credentials WHERE server_id = $1`,
      [serverId],
    );
    return result.rows[0];
  }

  /** The whole row as text, every column: what a database dump would show. */
  async function rowText(table: string, column: string, id: string): Promise<string> {
    const result = await sql.query(`SELECT * FROM "${schema}".${table} WHERE ${column} = $1`, [id]);
    return JSON.stringify(result.rows);
  }

  async function request(method: string, serverId: string, body?: unknown): Promise<Response> {
    return fetch(`${registry!.baseUrl}/api/v1/servers/${serverId}/credentials`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  beforeAll(async () => {
    await sql.connect();
    subscriptions.push(
      await observer.subscribe(
        { topic: CatalogRecord.topic.name, groupId: `credint-${run}-records`, fromBeginning: true },
        async (message) => {
          if (!message.key.startsWith(`credint-${run}-`)) return;
          const value = message.value as CatalogRecordValue | null;
          records.push({ key: message.key, value, text: JSON.stringify(value) });
        },
      ),
      await observer.subscribe(
        { topic: AdminChange.topic.name, groupId: `credint-${run}-changes`, fromBeginning: true },
        async (message) => {
          const change = message.value as AdminChangeValue;
          if (change.entityId.startsWith(`credint-${run}-`)) changes.push(change);
        },
      ),
    );
    registry = await startRegistry(env);
  });

  afterAll(async () => {
    await registry?.app.close();
    for (const serverId of Object.values(servers)) publishTombstone(observer, CatalogRecord, serverId);
    await observer.flush(10_000);
    await Promise.all(subscriptions.map((subscription) => subscription.close()));
    await observer.close();
    await sql.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
    await sql.end();
  });

  it('stores the config file credential sealed, and the catalog record carries only the sealed text', async () => {
    const row = await credentialRow(servers.remote);
    expect(row).toMatchObject({ kind: 'bearer', source: 'config', metadata: {} });
    expect(await rowText('server_credentials', 'server_id', servers.remote)).not.toContain(secrets.declared);
    expect(await rowText('servers', 'id', servers.remote)).not.toContain(secrets.declared);
    expect(sealer.open(servers.remote, { kind: 'bearer', sealed: row!.sealed })).toEqual({
      kind: 'bearer',
      token: secrets.declared,
    });

    await waitFor(() => recordsOf(servers.remote).length > 0, {
      description: 'the catalog record of the server with credentials',
    });
    const [record] = records.filter((candidate) => candidate.key === servers.remote);
    expect(record!.value!.server.credentials).toEqual({ kind: 'bearer', sealed: row!.sealed });
    expect(record!.text).not.toContain(secrets.declared);
    await waitFor(
      () =>
        changes.find(
          (change) => change.entityType === 'server-credential' && change.entityId === servers.remote,
        ),
      { description: 'the AdminChange of the declared credential' },
    );
    expect(changes.find((change) => change.entityId === servers.remote)).toMatchObject({
      actor: 'config',
      entityType: 'server-credential',
      action: 'created',
    });
  });

  it('serves the sealed credential in the gRPC snapshot the router loads at start', async () => {
    const client = createGrpcClient<RegistryApi.RegistryServiceClient>(
      GrpcPackages.registry,
      registry!.grpcAddress,
    );
    const { servers: listed } = await lastValueFrom(client.listServers({}));
    const row = await credentialRow(servers.remote);
    expect(listed.find((server) => server.id === servers.remote)?.credentials).toEqual({
      kind: 'bearer',
      sealed: row!.sealed,
    });
    expect(listed.find((server) => server.id === servers.tools)?.credentials).toBeNull();
  });

  it('puts, replaces and deletes a credential: never echoed, sealed at rest, a new revision each time', async () => {
    const created = await request('PUT', servers.tools, {
      kind: 'env',
      variables: { GITHUB_TOKEN: secrets.github },
    });
    expect(created.status).toBe(201);
    const createdText = await created.text();
    expect(createdText).not.toContain(secrets.github);
    expect(JSON.parse(createdText)).toEqual({ kind: 'env', configured: true, updatedAt: expect.any(String) });

    const shown = await request('GET', servers.tools);
    expect(await shown.json()).toEqual({
      kind: 'env',
      configured: true,
      source: 'api',
      updatedAt: expect.any(String),
      metadata: { variables: ['GITHUB_TOKEN'] },
    });
    expect(await rowText('server_credentials', 'server_id', servers.tools)).not.toContain(secrets.github);

    await waitFor(() => recordsOf(servers.tools).some((server) => server?.credentials), {
      description: 'the catalog record with the new credential',
    });
    const withCredential = recordsOf(servers.tools).find((server) => server?.credentials)!;
    expect(sealer.open(servers.tools, withCredential.credentials!)).toEqual({
      kind: 'env',
      variables: { GITHUB_TOKEN: secrets.github },
    });
    for (const record of records.filter((candidate) => candidate.key === servers.tools)) {
      expect(record.text).not.toContain(secrets.github);
    }

    const replaced = await request('PUT', servers.tools, {
      kind: 'env',
      variables: { GITHUB_TOKEN: secrets.replaced },
    });
    expect(replaced.status).toBe(200);
    expect((await request('DELETE', servers.tools)).status).toBe(204);
    expect((await request('GET', servers.tools)).status).toBe(404);
    expect((await request('DELETE', servers.tools)).status).toBe(404);
    expect(await credentialRow(servers.tools)).toBeUndefined();

    await waitFor(() => recordsOf(servers.tools).length >= 4, {
      description: 'the records of the start, the two puts and the delete',
    });
    const revisions = recordsOf(servers.tools).map((server) => [server!.revision, server!.credentials?.kind]);
    expect(revisions.slice(-3)).toEqual([
      [revisions.at(-3)![0], 'env'],
      [(revisions.at(-3)![0] as number) + 1, 'env'],
      [(revisions.at(-3)![0] as number) + 2, undefined],
    ]);
    const credentialChanges = (): AdminChangeValue[] =>
      changes.filter(
        (change) => change.entityType === 'server-credential' && change.entityId === servers.tools,
      );
    await waitFor(() => credentialChanges().length === 3, {
      description: 'the three AdminChanges of the credential',
    });
    expect(credentialChanges().map(({ actor, entityType, action }) => [actor, entityType, action])).toEqual([
      ['system', 'server-credential', 'created'],
      ['system', 'server-credential', 'updated'],
      ['system', 'server-credential', 'deleted'],
    ]);
  });

  it('answers 400 naming the field, 404 for an unknown server, and writes nothing', async () => {
    const exchange = {
      kind: 'token-exchange',
      tokenUrl: 'https://auth.example/token',
      clientId: 'gateway',
      clientSecret: 'exchange-secret',
      audience: 'shared',
    };
    const refused = await request('PUT', servers.shared, exchange);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({
      message: [
        'kind: token-exchange needs sessions: per-client (an upstream session belongs to one caller)',
      ],
    });
    const wrongKind = await request('PUT', servers.tools, { kind: 'bearer', token: 'x' });
    expect(wrongKind.status).toBe(400);
    expect((await request('PUT', `credint-${run}-nowhere`, exchange)).status).toBe(404);
    expect(await credentialRow(servers.shared)).toBeUndefined();
    expect(await credentialRow(servers.tools)).toBeUndefined();
  });

  it('keeps an unchanged credential and its revision at restart, and the API credential over the file', async () => {
    const before = await credentialRow(servers.remote);
    const revision = recordsOf(servers.remote).at(-1)!.revision;
    expect((await request('PUT', servers.tools, { kind: 'env', variables: { ORG: 'acme' } })).status).toBe(
      201,
    );
    await registry!.app.close();

    registry = await startRegistry(env);
    expect(await credentialRow(servers.remote)).toEqual(before);
    expect(await credentialRow(servers.tools)).toMatchObject({ kind: 'env', source: 'api' });
    await waitFor(() => recordsOf(servers.remote).length >= 2, {
      description: 'the record republished at the restart',
    });
    expect(recordsOf(servers.remote).at(-1)).toMatchObject({
      revision,
      credentials: { kind: 'bearer', sealed: before!.sealed },
    });
  });
});
