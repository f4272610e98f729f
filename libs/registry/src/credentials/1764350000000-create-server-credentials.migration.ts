import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateServerCredentials1764350000000 implements MigrationInterface {
  name = 'CreateServerCredentials1764350000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "server_credentials" (
        "server_id" text PRIMARY KEY,
        "kind" text NOT NULL,
        "sealed" text NOT NULL,
        "metadata" jsonb NOT NULL,
        "source" text NOT NULL CHECK ("source" IN ('config', 'api')),
        "updated_at" timestamptz NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "server_credentials"`);
  }
}
