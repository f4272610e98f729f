import { Inject, Injectable } from '@nestjs/common';
import type { Database } from '@gateway/platform';
import { IsNull } from 'typeorm';
import { AUTH_DATABASE } from '../auth-storage.tokens';
import { ClientSecretEntity } from './client-secret.entity';

export interface StoredClientSecret {
  readonly id: string;
  readonly agentId: string;
  readonly prefix: string;
  readonly createdAt: Date;
  readonly createdBy: string;
  readonly expiresAt: Date | null;
  readonly revokedAt: Date | null;
}

function stored({ secretHash: _hash, ...secret }: ClientSecretEntity): StoredClientSecret {
  return secret;
}

@Injectable()
export class ClientSecretRepository {
  constructor(@Inject(AUTH_DATABASE) private readonly database: Database) {}

  async insert(secret: StoredClientSecret & { secretHash: string }): Promise<void> {
    await this.secrets().insert(secret);
  }

  async findByHash(secretHash: string): Promise<StoredClientSecret | undefined> {
    const row = await this.secrets().findOneBy({ secretHash });
    return row ? stored(row) : undefined;
  }

  async listOf(agentId: string): Promise<StoredClientSecret[]> {
    return (await this.secrets().find({ where: { agentId }, order: { createdAt: 'ASC', id: 'ASC' } })).map(
      stored,
    );
  }

  async find(agentId: string, id: string): Promise<StoredClientSecret | undefined> {
    const row = await this.secrets().findOneBy({ agentId, id });
    return row ? stored(row) : undefined;
  }

  /** Marks the secret revoked unless it already was; true when this call revoked it. */
  async revoke(id: string, at: Date): Promise<boolean> {
    const result = await this.secrets().update({ id, revokedAt: IsNull() }, { revokedAt: at });
    return (result.affected ?? 0) > 0;
  }

  private secrets() {
    return this.database.dataSource().getRepository(ClientSecretEntity);
  }
}
