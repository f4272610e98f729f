import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateServers1763700000000 implements MigrationInterface {
  name = 'CreateServers1763700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "servers" (
        "id" text PRIMARY KEY,
        "name" text NOT NULL UNIQUE,
        "definition" jsonb NOT NULL,
        "revision" bigint NOT NULL,
        "source" text NOT NULL,
        "updated_at" timestamptz NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "servers"`);
  }
}
