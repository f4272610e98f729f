import { Inject, Injectable } from '@nestjs/common';
import type { Database } from '@gateway/platform';
import { type EntityManager, LessThanOrEqual } from 'typeorm';
import { AUTH_DATABASE, AUTH_SCHEMA } from '../auth-storage.tokens';
import { RevokedTokenEntity } from './revoked-token.entity';

export interface RevokedToken {
  readonly jti: string;
  readonly tenant: string;
  readonly revokedAt: Date;
  readonly expiresAt: Date;
}

@Injectable()
export class RevokedTokenRepository {
  constructor(
    @Inject(AUTH_DATABASE) private readonly database: Database,
    @Inject(AUTH_SCHEMA) private readonly schema: string,
  ) {}

  /** Records the revocation; false when the token was revoked already (nothing to publish again). */
  async insert(token: RevokedToken): Promise<boolean> {
    const inserted: unknown[] = await this.database.dataSource().query(
      `INSERT INTO "${this.schema}"."revoked_tokens" ("jti", "tenant", "revoked_at", "expires_at")
       VALUES ($1, $2, $3, $4) ON CONFLICT ("jti") DO NOTHING RETURNING "jti"`,
      [token.jti, token.tenant, token.revokedAt, token.expiresAt],
    );
    return inserted.length > 0;
  }

  async isRevoked(jti: string): Promise<boolean> {
    return this.database.dataSource().getRepository(RevokedTokenEntity).existsBy({ jti });
  }

  /** Deletes the revocations of tokens expired by `now` and returns them, for their tombstones. */
  async dropExpired(manager: EntityManager, now: Date): Promise<RevokedToken[]> {
    const repository = manager.getRepository(RevokedTokenEntity);
    const expired = await repository.findBy({ expiresAt: LessThanOrEqual(now) });
    if (expired.length > 0) await repository.delete(expired.map((token) => token.jti));
    return expired;
  }
}
