import { Inject, Injectable } from '@nestjs/common';
import type { Database } from '@gateway/platform';
import type { ServerDefinitionValue } from '@gateway/contracts';
import { ServerEntity } from './server.entity';

export const REGISTRY_DATABASE = Symbol('REGISTRY_DATABASE');

export interface StoredServer {
  readonly definition: ServerDefinitionValue;
  readonly source: string;
}

@Injectable()
export class ServerRepository {
  constructor(@Inject(REGISTRY_DATABASE) private readonly database: Database) {}

  async list(): Promise<StoredServer[]> {
    const dataSource = await this.database.whenReady();
    const rows = await dataSource.getRepository(ServerEntity).find({ order: { name: 'ASC' } });
    return rows.map((row) => ({ definition: row.definition, source: row.source }));
  }

  /** Inserts or replaces one server; a single statement, so no transaction is needed. */
  async upsert(definition: ServerDefinitionValue, source: string): Promise<void> {
    const dataSource = await this.database.whenReady();
    await dataSource.getRepository(ServerEntity).upsert(
      {
        id: definition.id,
        name: definition.name,
        definition,
        revision: definition.revision,
        source,
        updatedAt: new Date(),
      },
      ['id'],
    );
  }

  /** Replaces the definition of a stored server (its source unchanged). */
  async updateDefinition(definition: ServerDefinitionValue): Promise<void> {
    const dataSource = await this.database.whenReady();
    await dataSource
      .getRepository(ServerEntity)
      .update({ id: definition.id }, { definition, revision: definition.revision, updatedAt: new Date() });
  }

  async delete(id: string): Promise<void> {
    const dataSource = await this.database.whenReady();
    await dataSource.getRepository(ServerEntity).delete({ id });
  }
}
