import { Inject, Injectable } from '@nestjs/common';
import type { Database } from '@gateway/platform';
import { type EntityManager, MoreThan } from 'typeorm';
import { AUTH_DATABASE, AUTH_SCHEMA, jobLockKey } from '../auth-storage.tokens';
import { SigningKeyEntity } from './signing-key.entity';
import type { StoredSigningKey } from './signing-key-material';

/** The signing keys, read and changed inside the transaction of the one replica that rotates. */
export class SigningKeyTransaction {
  constructor(readonly manager: EntityManager) {}

  async all(): Promise<StoredSigningKey[]> {
    return this.keys().find({ order: { createdAt: 'ASC', kid: 'ASC' } });
  }

  async insert(key: StoredSigningKey): Promise<void> {
    await this.keys().insert(key);
  }

  async reschedule(key: Pick<StoredSigningKey, 'kid' | 'retiresAt' | 'expiresAt'>): Promise<void> {
    await this.keys().update({ kid: key.kid }, { retiresAt: key.retiresAt, expiresAt: key.expiresAt });
  }

  async delete(kids: readonly string[]): Promise<void> {
    if (kids.length > 0) await this.keys().delete([...kids]);
  }

  private keys() {
    return this.manager.getRepository(SigningKeyEntity);
  }
}

@Injectable()
export class SigningKeyRepository {
  constructor(
    @Inject(AUTH_DATABASE) private readonly database: Database,
    @Inject(AUTH_SCHEMA) private readonly schema: string,
  ) {}

  /**
   * Runs `work` in a transaction holding the signing-keys advisory lock, so one replica at a time
   * decides on rotation; the others wait, then see its keys and find nothing left to do.
   */
  async locked<T>(work: (keys: SigningKeyTransaction) => Promise<T>): Promise<T> {
    const dataSource = await this.database.whenReady();
    return dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1::bigint)', [
        jobLockKey(this.schema, 'signing-keys'),
      ]);
      return work(new SigningKeyTransaction(manager));
    });
  }

  /** Keys not yet expired at `now`. */
  async live(now: Date): Promise<StoredSigningKey[]> {
    return this.database
      .dataSource()
      .getRepository(SigningKeyEntity)
      .find({ where: { expiresAt: MoreThan(now) }, order: { createdAt: 'ASC', kid: 'ASC' } });
  }
}
