import { Inject, Injectable } from '@nestjs/common';
import type { Database } from '@gateway/platform';
import { ApiKeyEntity } from './api-key.entity';
import type { StoredApiKey } from './api-key-verifier';

export const AUTH_DATABASE = Symbol('AUTH_DATABASE');

@Injectable()
export class ApiKeyRepository {
  constructor(@Inject(AUTH_DATABASE) private readonly database: Database) {}

  async findByHash(keyHash: string): Promise<StoredApiKey | undefined> {
    const row = await this.database.dataSource().getRepository(ApiKeyEntity).findOneBy({ keyHash });
    return row ?? undefined;
  }
}
