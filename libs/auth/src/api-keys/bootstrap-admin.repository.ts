import { Inject, Injectable } from '@nestjs/common';
import type { Database } from '@gateway/platform';
import type { EntityManager } from 'typeorm';
import { AUTH_DATABASE, AUTH_SCHEMA, jobLockKey } from '../auth-storage.tokens';
import { RoleEntity, UserEntity } from '../identities/directory-entry.entity';
import type { DirectoryEntry } from '../identities/directory.model';
import { RoleAssignmentEntity } from '../identities/membership.entity';
import { ApiKeyEntity } from './api-key.entity';
import { ApiKeyRepository } from './api-key.repository';
import type { StoredApiKey } from './api-key-verifier';

/** The first-run writes, inside the transaction of the one replica that holds the lock. */
export class BootstrapTransaction {
  constructor(
    private readonly manager: EntityManager,
    private readonly keys: ApiKeyRepository,
  ) {}

  hasActiveKeyWithRole(tenant: string, role: string, now: Date): Promise<boolean> {
    return this.keys.hasActiveKeyWithRole(this.manager, tenant, role, now);
  }

  /** Inserts the user or role unless its name is taken; true when it inserted. */
  async ensureEntry(entry: DirectoryEntry): Promise<boolean> {
    const entity = entry.kind === 'role' ? RoleEntity : UserEntity;
    const repository = this.manager.getRepository(entity);
    if (await repository.existsBy({ tenant: entry.tenant, name: entry.name })) return false;
    const { id, tenant, name, description, createdAt, createdBy } = entry;
    await repository.insert({ id, tenant, name, description, createdAt, createdBy });
    return true;
  }

  async ensureRoleAssignment(tenant: string, holder: string, role: string): Promise<void> {
    const assignments = this.manager.getRepository(RoleAssignmentEntity);
    if (!(await assignments.existsBy({ tenant, holder, role })))
      await assignments.insert({ tenant, holder, role });
  }

  async keyHashExists(keyHash: string): Promise<boolean> {
    return this.manager.getRepository(ApiKeyEntity).existsBy({ keyHash });
  }

  async insertKey(key: StoredApiKey & { keyHash: string }): Promise<void> {
    await this.keys.insert(key, this.manager);
  }
}

@Injectable()
export class BootstrapAdminRepository {
  constructor(
    @Inject(AUTH_DATABASE) private readonly database: Database,
    @Inject(AUTH_SCHEMA) private readonly schema: string,
    private readonly keys: ApiKeyRepository,
  ) {}

  /** Runs `work` in a transaction holding the bootstrap lock: replicas starting together take turns. */
  async locked<T>(work: (transaction: BootstrapTransaction) => Promise<T>): Promise<T> {
    const dataSource = await this.database.whenReady();
    return dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1::bigint)', [
        jobLockKey(this.schema, 'bootstrap-admin'),
      ]);
      return work(new BootstrapTransaction(manager, this.keys));
    });
  }
}
