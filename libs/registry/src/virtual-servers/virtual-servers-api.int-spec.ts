import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { lastValueFrom } from 'rxjs';
import { Client } from 'pg';
import pino from 'pino';
import {
  AdminChange,
  type AdminChangeValue,
  CatalogRecord,
  GrpcPackages,
  type RegistryApi,
  VirtualServerRecord,
  type VirtualServerRecordValue,
} from '@gateway/contracts';
import {
  createGrpcClient,
  KafkaEventBus,
  PlatformModule,
  publishTombstone,
  startServiceProcess,
  type Subscription,
} from '@gateway/platform';
import { freePort, waitFor } from '@gateway/testing';
import { type RegistryConfig, parseGatewayConfigFile } from '../registry-config';
import { RegistryModule, registryGrpcPackages } from '../registry.module';
import type { VirtualServerView } from './virtual-servers.service';

process.env['LOG_LEVEL'] ??= process.env['TEST_LOG_LEVEL'] ?? 'silent';

jest.setTimeout(120_000);

const brokers = process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092';
const databaseUrl = process.env['DATABASE_URL'] ?? 'postgres://gateway:gateway@127.0.0.1:55432/gateway';
const run = randomBytes(4).toString('hex');
const schema = `registry_test_${run}`;

/* Names of this run only: the topics are the real ones, which other tests and replicas read too. */
const server = `vsint-${run}-server`;
const names = {
  support: `vsint-${run}-support`,
  declared: `vsint-${run}-declared`,
  dropped: `vsint-${run}-dropped`,
  apiMade: `vsint-${run}-api-made`,
};

/** The gateway config file of the run: a disabled server (no router connects it) and virtual servers. */
function configFile(virtualServers: string[]): RegistryConfig {
  const text = [
    'servers:',
    `  - id: ${server}`,
    '    enabled: false',
    '    transport: stdio',
    '    stdio: { command: node }',
    'virtualServers:',
    ...virtualServers,
  ].join('\n');
  const { servers, virtualServers: declared } = parseGatewayConfigFile(text, 'test.yaml', {});
  return { configFile: 'test.yaml', servers, virtualServers: declared, grpcAddress: '' };
}

interface Registry {
  readonly app: INestApplication;
  readonly baseUrl: string;
  readonly grpcAddress: string;
}

async function startRegistry(config: RegistryConfig): Promise<Registry> {
  const grpcAddress = `127.0.0.1:${await freePort()}`;
  const app = await startServiceProcess({
    name: 'registry-int',
    modules: [
      PlatformModule.forRoot({
        processName: `registry-int-${run}`,
        bus: { kind: 'kafka', brokers: brokers.split(',') },
        databaseUrl,
      }),
      RegistryModule.forRoot({ ...config, grpcAddress }, { schema }),
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

interface Row {
  name: string;
  definition: Record<string, unknown>;
  revision: string;
  source: string;
}

describe('the virtual servers admin API against Postgres and Kafka', () => {
  const sql = new Client({ connectionString: databaseUrl });
  const observer = new KafkaEventBus({
    brokers: brokers.split(','),
    clientId: `registry-int-observer-${run}`,
    logger: pino({ level: 'silent' }),
  });
  const subscriptions: Subscription[] = [];
  /** Records of this run's virtual servers in topic order per key; null is a tombstone. */
  const records: Array<{ key: string; value: VirtualServerRecordValue | null }> = [];
  const changes: AdminChangeValue[] = [];
  let registry: Registry | undefined;

  const recordsOf = (name: string): Array<number | null> =>
    records
      .filter((record) => record.key === name)
      .map((record) => record.value?.virtualServer.revision ?? null);

  async function rows(): Promise<Row[]> {
    const result = await sql.query<Row>(
      `SELECT name, definition, revision, source FROM "${schema}".virtual_servers ORDER BY name`,
    );
    return result.rows;
  }

  async function rowOf(name: string): Promise<Row | undefined> {
    return (await rows()).find((row) => row.name === name);
  }

  async function request(method: string, path: string, body?: unknown): Promise<Response> {
    if (!registry) throw new Error('registry not started');
    return fetch(`${registry.baseUrl}/api/v1/virtual-servers${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  async function put(name: string, body: unknown): Promise<{ status: number; json: unknown }> {
    const response = await request('PUT', `/${name}`, body);
    return { status: response.status, json: await response.json() };
  }

  beforeAll(async () => {
    await sql.connect();
    subscriptions.push(
      await observer.subscribe(
        {
          topic: VirtualServerRecord.topic.name,
          groupId: `registry-int-${run}-records`,
          fromBeginning: true,
        },
        async (message) => {
          if (message.key.startsWith(`vsint-${run}-`)) {
            records.push({ key: message.key, value: message.value as VirtualServerRecordValue | null });
          }
        },
      ),
      await observer.subscribe(
        { topic: AdminChange.topic.name, groupId: `registry-int-${run}-changes`, fromBeginning: true },
        async (message) => {
          const change = message.value as AdminChangeValue;
          if (change.entityType === 'virtual-server' && change.entityId.startsWith(`vsint-${run}-`)) {
            changes.push(change);
          }
        },
      ),
    );
    registry = await startRegistry(
      configFile([
        `  - name: ${names.declared}`,
        `    tools: [{ server: ${server}, name: echo, alias: say }]`,
        `  - name: ${names.dropped}`,
        `    servers: [${server}]`,
      ]),
    );
  });

  afterAll(async () => {
    // Leave nothing of the run on the real topics for routers and ingresses to pick up.
    for (const name of Object.values(names)) {
      if (registry) await request('DELETE', `/${name}`);
    }
    await registry?.app.close();
    publishTombstone(observer, CatalogRecord, server);
    await observer.flush(10_000);
    await Promise.all(subscriptions.map((subscription) => subscription.close()));
    await observer.close();
    await sql.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
    await sql.end();
  });

  it('applies the file at start: a row, a compacted record and an AdminChange per virtual server', async () => {
    expect((await rows()).map((row) => [row.name, row.revision, row.source])).toEqual([
      [names.declared, '1', 'config'],
      [names.dropped, '1', 'config'],
    ]);
    const listed = (await (await request('GET', '')).json()) as { virtualServers: VirtualServerView[] };
    expect(listed.virtualServers.map((view) => view.virtualServer.name)).toEqual([
      names.declared,
      names.dropped,
    ]);
    await waitFor(() => recordsOf(names.declared).length === 1 && recordsOf(names.dropped).length === 1, {
      timeoutMs: 30_000,
      description: 'the records of the declared virtual servers on the topic',
    });
    expect(records.find((record) => record.key === names.declared)?.value?.virtualServer).toEqual({
      name: names.declared,
      tools: [{ server, name: 'echo', alias: 'say' }],
      revision: 1,
    });
    await waitFor(() => changes.length >= 2, {
      timeoutMs: 30_000,
      description: 'the AdminChanges of the start',
    });
    // AdminChanges are keyed by entity: Kafka orders them per virtual server, not across them.
    expect(
      changes
        .map(({ actor, entityType, entityId, action }) => [actor, entityType, entityId, action])
        .sort((left, right) => left[2]!.localeCompare(right[2]!)),
    ).toEqual(
      [
        ['config', 'virtual-server', names.declared, 'created'],
        ['config', 'virtual-server', names.dropped, 'created'],
      ].sort((left, right) => left[2]!.localeCompare(right[2]!)),
    );
  });

  it('creates, replaces and deletes through the REST API: rows, records and the tombstone follow', async () => {
    const created = await put(names.support, {
      description: 'For support agents',
      tools: [{ server, name: 'echo', alias: 'say', description: 'Repeats it' }],
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      source: 'api',
      virtualServer: { name: names.support, revision: 1 },
    });
    expect(await rowOf(names.support)).toEqual({
      name: names.support,
      definition: {
        name: names.support,
        description: 'For support agents',
        tools: [{ server, name: 'echo', alias: 'say', description: 'Repeats it' }],
        revision: 1,
      },
      revision: '1',
      source: 'api',
    });

    const replaced = await put(names.support, {
      name: names.support,
      servers: [server],
      resources: [{ server, uri: 'demo://resource/static/document/architecture.md' }],
      revision: 1,
    });
    expect(replaced.status).toBe(200);
    expect((await rowOf(names.support))?.definition).toEqual({
      name: names.support,
      servers: [server],
      resources: [{ server, uri: 'demo://resource/static/document/architecture.md' }],
      revision: 2,
    });
    const stale = await put(names.support, { servers: [server], revision: 1 });
    expect(stale.status).toBe(409);
    expect(await (await request('GET', `/${names.support}`)).json()).toMatchObject({
      virtualServer: { revision: 2 },
    });

    const deleted = await request('DELETE', `/${names.support}`);
    expect(deleted.status).toBe(204);
    expect(await rowOf(names.support)).toBeUndefined();
    expect((await request('GET', `/${names.support}`)).status).toBe(404);
    expect((await request('DELETE', `/${names.support}`)).status).toBe(404);

    await waitFor(() => recordsOf(names.support).length === 3, {
      timeoutMs: 30_000,
      description: 'the two records and the tombstone of the virtual server on the topic',
    });
    expect(recordsOf(names.support)).toEqual([1, 2, null]);
    await waitFor(() => changes.filter((change) => change.entityId === names.support).length === 3, {
      timeoutMs: 30_000,
      description: 'the three AdminChanges of the virtual server',
    });
    expect(
      changes
        .filter((change) => change.entityId === names.support)
        .map(({ actor, action, revision }) => [actor, action, revision ?? null]),
    ).toEqual([
      ['api', 'created', 1],
      ['api', 'updated', 2],
      ['api', 'deleted', null],
    ]);
  });

  it('answers 400 naming the field, and changes nothing', async () => {
    const unknownServer = await put(names.support, { tools: [{ server: 'nowhere', name: 'echo' }] });
    expect(unknownServer).toEqual({
      status: 400,
      json: expect.objectContaining({
        message: ['tools.0.server: no server named "nowhere" in the catalog'],
      }) as unknown,
    });
    const badAlias = await put(names.support, { prompts: [{ server, name: 'p', alias: 'not valid' }] });
    expect(badAlias.status).toBe(400);
    expect((badAlias.json as { message: string[] }).message).toEqual([
      'prompts.0.alias: expected 1-64 characters of letters, digits, "_" or "-"',
    ]);
    expect((await put('not%20valid', {})).status).toBe(400);
    expect(await rowOf(names.support)).toBeUndefined();
  });

  it('serves the virtual servers over gRPC for the data plane to load at start', async () => {
    const client = createGrpcClient<RegistryApi.RegistryServiceClient>(
      GrpcPackages.registry,
      registry!.grpcAddress,
    );
    const reply = await lastValueFrom(client.listVirtualServers({}));
    const declared = reply.virtualServers.find((virtualServer) => virtualServer.name === names.declared);
    expect(declared).toMatchObject({
      name: names.declared,
      servers: [],
      tools: [{ server, name: 'echo', alias: 'say' }],
      resources: [],
      prompts: [],
      revision: 1,
    });
    expect(declared?.description).toBeUndefined();
    expect(reply.virtualServers.map((virtualServer) => virtualServer.name)).toEqual([
      names.declared,
      names.dropped,
    ]);
  });

  it('keeps at restart what the API changed, and removes what the file no longer declares', async () => {
    expect((await put(names.declared, { servers: [server] })).json).toMatchObject({
      source: 'api',
      virtualServer: { revision: 2 },
    });
    expect((await put(names.apiMade, { servers: [server] })).status).toBe(201);
    await registry!.app.close();

    registry = await startRegistry(
      configFile([`  - name: ${names.declared}`, `    tools: [{ server: ${server}, name: other }]`]),
    );
    expect((await rows()).map((row) => [row.name, row.revision, row.source])).toEqual([
      [names.apiMade, '1', 'api'],
      [names.declared, '2', 'api'],
    ]);
    expect((await rowOf(names.declared))?.definition).toEqual({
      name: names.declared,
      servers: [server],
      revision: 2,
    });
    await waitFor(() => recordsOf(names.dropped).at(-1) === null, {
      timeoutMs: 30_000,
      description: 'the tombstone of the virtual server the file dropped',
    });
    // Republished at start, unchanged: the latest record per key is the row.
    await waitFor(() => recordsOf(names.declared).length === 3 && recordsOf(names.apiMade).length === 2, {
      timeoutMs: 30_000,
      description: 'the records republished at the restart',
    });
    expect(recordsOf(names.declared)).toEqual([1, 2, 2]);
    expect(recordsOf(names.dropped)).toEqual([1, null]);
    await waitFor(
      () => changes.some((change) => change.entityId === names.dropped && change.action === 'deleted'),
      {
        timeoutMs: 30_000,
        description: 'the AdminChange of the dropped virtual server',
      },
    );
  });
});
