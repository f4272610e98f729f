import { Inject, Injectable } from '@nestjs/common';
import type { VirtualServerDefinitionValue } from '@gateway/contracts';
import type { Database } from '@gateway/platform';
import { REGISTRY_DATABASE } from '../catalog/server.repository';
import { VirtualServerEntity, type VirtualServerSource } from './virtual-server.entity';

export interface StoredVirtualServer {
  readonly definition: VirtualServerDefinitionValue;
  readonly source: VirtualServerSource;
  readonly updatedAt: Date;
}

@Injectable()
export class VirtualServerRepository {
  constructor(@Inject(REGISTRY_DATABASE) private readonly database: Database) {}

  async list(): Promise<StoredVirtualServer[]> {
    const dataSource = await this.database.whenReady();
    const rows = await dataSource.getRepository(VirtualServerEntity).find({ order: { name: 'ASC' } });
    return rows.map((row) => ({ definition: row.definition, source: row.source, updatedAt: row.updatedAt }));
  }

  /** Inserts or replaces one virtual server; a single statement, so no transaction is needed. */
  async upsert(stored: StoredVirtualServer): Promise<void> {
    const dataSource = await this.database.whenReady();
    await dataSource.getRepository(VirtualServerEntity).upsert(
      {
        name: stored.definition.name,
        definition: stored.definition,
        revision: stored.definition.revision,
        source: stored.source,
        updatedAt: stored.updatedAt,
      },
      ['name'],
    );
  }

  async delete(name: string): Promise<void> {
    const dataSource = await this.database.whenReady();
    await dataSource.getRepository(VirtualServerEntity).delete({ name });
  }
}
