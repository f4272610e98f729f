import { Inject, Injectable } from '@nestjs/common';
import type { ServerCredentialKind } from '@gateway/contracts';
import type { CredentialMetadata } from './server-credential.view';
import type { Database } from '@gateway/platform';
import { REGISTRY_DATABASE } from '../catalog/server.repository';
import { ServerCredentialEntity, type ServerCredentialSource } from './server-credential.entity';

export interface StoredServerCredential {
  readonly serverId: string;
  readonly kind: ServerCredentialKind;
  readonly sealed: string;
  readonly metadata: CredentialMetadata;
  readonly source: ServerCredentialSource;
  readonly updatedAt: Date;
}

@Injectable()
export class ServerCredentialRepository {
  constructor(@Inject(REGISTRY_DATABASE) private readonly database: Database) {}

  async list(): Promise<StoredServerCredential[]> {
    const dataSource = await this.database.whenReady();
    const rows = await dataSource.getRepository(ServerCredentialEntity).find({ order: { serverId: 'ASC' } });
    return rows.map((row) => ({ ...row }));
  }

  async get(serverId: string): Promise<StoredServerCredential | undefined> {
    const dataSource = await this.database.whenReady();
    const row = await dataSource.getRepository(ServerCredentialEntity).findOneBy({ serverId });
    return row ? { ...row } : undefined;
  }

  /** Inserts or replaces one server's credential; a single statement, so no transaction is needed. */
  async upsert(stored: StoredServerCredential): Promise<void> {
    const dataSource = await this.database.whenReady();
    await dataSource.getRepository(ServerCredentialEntity).upsert({ ...stored }, ['serverId']);
  }

  async delete(serverId: string): Promise<void> {
    const dataSource = await this.database.whenReady();
    await dataSource.getRepository(ServerCredentialEntity).delete({ serverId });
  }
}
