import {
  AdminChange,
  type AdminChangeValue,
  type ServerDefinitionValue,
  VirtualServerRecord,
  type VirtualServerRecordValue,
} from '@gateway/contracts';
import { type EventBus, ReadinessRegistry } from '@gateway/platform';
import { waitFor } from '@gateway/testing';
import type { CatalogService } from '../catalog/catalog.service';
import type { RegistryConfig } from '../registry-config';
import {
  InvalidVirtualServerError,
  VirtualServerNotFoundError,
  VirtualServerRevisionConflictError,
} from './virtual-server.errors';
import type { DeclaredVirtualServer } from './virtual-server-input.schema';
import type { StoredVirtualServer, VirtualServerRepository } from './virtual-server.repository';
import { VirtualServersService } from './virtual-servers.service';

process.env['LOG_LEVEL'] ??= process.env['TEST_LOG_LEVEL'] ?? 'silent';

/** The table as a map; what a row holds is what the real repository writes. */
class FakeRepository {
  readonly rows = new Map<string, StoredVirtualServer>();

  list(): Promise<StoredVirtualServer[]> {
    return Promise.resolve([...this.rows.values()]);
  }

  upsert(row: StoredVirtualServer): Promise<void> {
    this.rows.set(row.definition.name, row);
    return Promise.resolve();
  }

  delete(name: string): Promise<void> {
    this.rows.delete(name);
    return Promise.resolve();
  }
}

interface Published {
  readonly topic: string;
  readonly key: string;
  readonly value: unknown;
}

function row(
  name: string,
  source: 'config' | 'api',
  revision: number,
  extra: Partial<StoredVirtualServer['definition']> = {},
): StoredVirtualServer {
  return {
    definition: { name, servers: ['everything'], ...extra, revision },
    source,
    updatedAt: new Date('2026-11-01T00:00:00.000Z'),
  };
}

async function start(declared: DeclaredVirtualServer[], stored: StoredVirtualServer[] = []) {
  const repository = new FakeRepository();
  for (const existing of stored) repository.rows.set(existing.definition.name, existing);
  const published: Published[] = [];
  const bus = { publish: (message: Published) => published.push(message) } as unknown as EventBus;
  const catalog = {
    list: (): Pick<ServerDefinitionValue, 'name'>[] => [{ name: 'everything' }, { name: 'remote' }],
  } as unknown as CatalogService;
  const config = {
    configFile: 'gateway.yaml',
    servers: [],
    virtualServers: declared,
  } as unknown as RegistryConfig;
  const service = new VirtualServersService(
    repository as unknown as VirtualServerRepository,
    catalog,
    bus,
    config,
    new ReadinessRegistry(),
  );
  service.onApplicationBootstrap();
  await waitFor(
    () => {
      service.list();
      return true;
    },
    { timeoutMs: 5_000, description: 'the virtual servers to load' },
  );
  const records = (): Array<[string, VirtualServerRecordValue | null]> =>
    published
      .filter((message) => message.topic === VirtualServerRecord.topic.name)
      .map((message) => [message.key, message.value as VirtualServerRecordValue | null]);
  const changes = (): Array<Pick<AdminChangeValue, 'actor' | 'entityId' | 'action' | 'revision'>> =>
    published
      .filter((message) => message.topic === AdminChange.topic.name)
      .map((message) => {
        const { actor, entityId, action, revision, entityType } = message.value as AdminChangeValue;
        expect(entityType).toBe('virtual-server');
        return { actor, entityId, action, revision };
      });
  const clear = (): void => {
    published.length = 0;
  };
  return { service, repository, records, changes, clear };
}

describe('VirtualServersService', () => {
  it('at start applies the file, keeps what the API wrote, drops what the file no longer declares', async () => {
    const { service, repository, records, changes } = await start(
      [
        { name: 'fresh', servers: ['everything'] },
        { name: 'same', servers: ['everything'] },
        { name: 'edited', servers: ['remote'] },
        { name: 'taken-over', servers: ['remote'] },
      ],
      [
        row('same', 'config', 4),
        row('edited', 'config', 2),
        row('taken-over', 'api', 7),
        row('gone', 'config', 1),
        row('made-by-api', 'api', 3),
      ],
    );
    expect(
      service.list().map(({ virtualServer, source }) => [virtualServer.name, virtualServer.revision, source]),
    ).toEqual([
      ['edited', 3, 'config'],
      ['fresh', 1, 'config'],
      ['made-by-api', 3, 'api'],
      ['same', 4, 'config'],
      ['taken-over', 7, 'api'],
    ]);
    expect(service.get('taken-over').virtualServer.servers).toEqual(['everything']);
    expect([...repository.rows.keys()].sort()).toEqual([
      'edited',
      'fresh',
      'made-by-api',
      'same',
      'taken-over',
    ]);
    expect(changes()).toEqual([
      { actor: 'config', entityId: 'fresh', action: 'created', revision: 1 },
      { actor: 'config', entityId: 'edited', action: 'updated', revision: 3 },
      { actor: 'config', entityId: 'gone', action: 'deleted', revision: undefined },
    ]);
    const keys = records().map(
      ([key, value]) => `${key}${value ? `@${value.virtualServer.revision}` : ' tombstone'}`,
    );
    expect(keys.sort()).toEqual([
      'edited@3',
      'fresh@1',
      'gone tombstone',
      'made-by-api@3',
      'same@4',
      'taken-over@7',
    ]);
  });

  it('creates, replaces and deletes through the API, publishing and recording each change once', async () => {
    const { service, records, changes, clear } = await start([
      { name: 'from-file', servers: ['everything'] },
    ]);
    clear();
    const created = await service.put('support', {
      tools: [{ server: 'everything', name: 'echo', alias: 'say' }],
    });
    expect(created.created).toBe(true);
    expect(created.view).toMatchObject({
      source: 'api',
      virtualServer: {
        name: 'support',
        tools: [{ server: 'everything', name: 'echo', alias: 'say' }],
        revision: 1,
      },
    });
    const replaced = await service.put('support', { servers: ['remote'], tools: [], revision: 1 });
    expect(replaced.created).toBe(false);
    expect(replaced.view.virtualServer).toEqual({ name: 'support', servers: ['remote'], revision: 2 });
    const again = await service.put('support', { servers: ['remote'] });
    expect(again.view.virtualServer.revision).toBe(2);
    const takenOver = await service.put('from-file', { servers: ['everything'] });
    expect(takenOver.view).toMatchObject({ source: 'api', virtualServer: { revision: 2 } });
    await service.delete('support');
    expect(() => service.get('support')).toThrow(VirtualServerNotFoundError);
    expect(records().map(([key, value]) => [key, value?.virtualServer.revision ?? null])).toEqual([
      ['support', 1],
      ['support', 2],
      ['from-file', 2],
      ['support', null],
    ]);
    expect(changes()).toEqual([
      { actor: 'api', entityId: 'support', action: 'created', revision: 1 },
      { actor: 'api', entityId: 'support', action: 'updated', revision: 2 },
      { actor: 'api', entityId: 'from-file', action: 'updated', revision: 2 },
      { actor: 'api', entityId: 'support', action: 'deleted', revision: undefined },
    ]);
  });

  it('refuses a stale revision, an invalid body and deleting what does not exist, changing nothing', async () => {
    const { service, repository, records, clear } = await start([], [row('support', 'api', 5)]);
    clear();
    await expect(service.put('support', { servers: ['remote'], revision: 4 })).rejects.toThrow(
      VirtualServerRevisionConflictError,
    );
    await expect(service.put('new-one', { revision: 3 })).rejects.toThrow(VirtualServerRevisionConflictError);
    await expect(service.put('support', { servers: ['nowhere'] })).rejects.toThrow(InvalidVirtualServerError);
    await expect(service.delete('absent')).rejects.toThrow(VirtualServerNotFoundError);
    expect(repository.rows.get('support')?.definition).toEqual(row('support', 'api', 5).definition);
    expect(records()).toEqual([]);
  });

  it('serves nothing until loaded', () => {
    const service = new VirtualServersService(
      { list: () => new Promise(() => undefined) } as unknown as VirtualServerRepository,
      {} as CatalogService,
      {} as EventBus,
      { virtualServers: [] } as unknown as RegistryConfig,
      new ReadinessRegistry(),
    );
    expect(() => service.list()).toThrow('not loaded yet');
    expect(() => service.put('a', {})).toThrow('not loaded yet');
  });
});
