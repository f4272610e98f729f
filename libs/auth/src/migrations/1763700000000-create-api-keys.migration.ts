import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateApiKeys1763700000000 implements MigrationInterface {
  name = 'CreateApiKeys1763700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "api_keys" (
        "id" text PRIMARY KEY,
        "key_hash" text NOT NULL UNIQUE,
        "tenant" text NOT NULL,
        "principal_id" text NOT NULL,
        "principal_kind" text NOT NULL,
        "roles" text[] NOT NULL DEFAULT '{}',
        "scopes" text[] NOT NULL DEFAULT '{}',
        "expires_at" timestamptz,
        "revoked_at" timestamptz
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "api_keys"`);
  }
}
