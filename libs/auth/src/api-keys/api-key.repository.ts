import { Inject, Injectable } from '@nestjs/common';
import type { Database } from '@gateway/platform';
import { type EntityManager, IsNull } from 'typeorm';
import { AUTH_DATABASE, AUTH_SCHEMA } from '../auth-storage.tokens';
import { ApiKeyEntity } from './api-key.entity';
import type { StoredApiKey } from './api-key-verifier';

/** last_used_at is a hint for operators, so one write a minute per key is enough. */
const lastUsedResolutionMs = 60_000;

export interface ApiKeyFilter {
  readonly tenant: string;
  readonly principalId?: string;
}

@Injectable()
export class ApiKeyRepository {
  constructor(
    @Inject(AUTH_DATABASE) private readonly database: Database,
    @Inject(AUTH_SCHEMA) private readonly schema: string,
  ) {}

  async findByHash(keyHash: string): Promise<StoredApiKey | undefined> {
    return (await this.keys().findOneBy({ keyHash })) ?? undefined;
  }

  async find(id: string): Promise<StoredApiKey | undefined> {
    return (await this.keys().findOneBy({ id })) ?? undefined;
  }

  async list(filter: ApiKeyFilter): Promise<StoredApiKey[]> {
    return this.keys().find({
      where: { tenant: filter.tenant, ...(filter.principalId && { principalId: filter.principalId }) },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }

  async insert(key: StoredApiKey & { keyHash: string }, manager?: EntityManager): Promise<void> {
    await (manager ?? this.database.dataSource().manager)
      .getRepository(ApiKeyEntity)
      .insert({ ...key, scopes: [...key.scopes] });
  }

  /** Marks the key revoked unless it already was; returns the key when this call revoked it. */
  async revoke(id: string, at: Date): Promise<StoredApiKey | undefined> {
    const result = await this.keys().update({ id, revokedAt: IsNull() }, { revokedAt: at });
    return result.affected ? this.find(id) : undefined;
  }

  /** Revokes every key of the principal still in force; returns the keys this call revoked. */
  async revokeAllOf(tenant: string, principalId: string, at: Date): Promise<StoredApiKey[]> {
    const active = await this.keys().findBy({ tenant, principalId, revokedAt: IsNull() });
    const revoked: StoredApiKey[] = [];
    for (const key of active) {
      const done = await this.revoke(key.id, at);
      if (done) revoked.push(done);
    }
    return revoked;
  }

  async touch(id: string, at: Date): Promise<void> {
    await this.database.dataSource().query(
      `UPDATE "${this.schema}"."api_keys" SET "last_used_at" = $2
         WHERE "id" = $1 AND ("last_used_at" IS NULL OR "last_used_at" < $3)`,
      [id, at, new Date(at.getTime() - lastUsedResolutionMs)],
    );
  }

  /** Whether the tenant has a key in force whose principal holds `role`, itself or through a team. */
  async hasActiveKeyWithRole(
    manager: EntityManager,
    tenant: string,
    role: string,
    now: Date,
  ): Promise<boolean> {
    const table = (name: string): string => `"${this.schema}"."${name}"`;
    const rows: unknown[] = await manager.query(
      `SELECT 1 FROM ${table('api_keys')} AS "key"
       WHERE "key"."tenant" = $1 AND "key"."revoked_at" IS NULL
         AND ("key"."expires_at" IS NULL OR "key"."expires_at" > $3)
         AND EXISTS (
           SELECT 1 FROM ${table('role_assignments')} AS "assignment"
           WHERE "assignment"."tenant" = "key"."tenant" AND "assignment"."role" = $2
             AND ("assignment"."holder" = "key"."principal_id" OR "assignment"."holder" IN (
               SELECT 'team:' || "member"."team" FROM ${table('team_members')} AS "member"
               WHERE "member"."tenant" = "key"."tenant" AND "member"."member" = "key"."principal_id")))
       LIMIT 1`,
      [tenant, role, now],
    );
    return rows.length > 0;
  }

  private keys() {
    return this.database.dataSource().getRepository(ApiKeyEntity);
  }
}
