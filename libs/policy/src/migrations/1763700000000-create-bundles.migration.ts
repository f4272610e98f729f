import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateBundles1763700000000 implements MigrationInterface {
  name = 'CreateBundles1763700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "bundles" (
        "tenant" text PRIMARY KEY,
        "revision" bigint NOT NULL,
        "source" text NOT NULL,
        "default_decision" text NOT NULL CHECK ("default_decision" IN ('allow', 'deny')),
        "published_at" timestamptz NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "bundles"`);
  }
}
