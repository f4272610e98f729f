import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateVirtualServers1764200000000 implements MigrationInterface {
  name = 'CreateVirtualServers1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "virtual_servers" (
        "name" text PRIMARY KEY,
        "definition" jsonb NOT NULL,
        "revision" bigint NOT NULL,
        "source" text NOT NULL CHECK ("source" IN ('config', 'api')),
        "updated_at" timestamptz NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "virtual_servers"`);
  }
}
