import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Policies as admins write them, per tenant; the tenants' rate limits and guardrails; and the
 * rest of the bundle contract on the published bundle, so a restart republishes it unchanged.
 */
export class CreatePolicies1764800000000 implements MigrationInterface {
  name = 'CreatePolicies1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "policies" (
        "tenant" text NOT NULL,
        "id" text NOT NULL,
        "description" text,
        "source" text NOT NULL,
        "enabled" boolean NOT NULL DEFAULT true,
        "updated_by" text NOT NULL,
        "updated_at" timestamptz NOT NULL,
        "revision" bigint NOT NULL,
        PRIMARY KEY ("tenant", "id")
      )`);
    await queryRunner.query(`
      CREATE TABLE "tenant_settings" (
        "tenant" text PRIMARY KEY,
        "rate_limits" jsonb,
        "guardrails" jsonb,
        "updated_by" text NOT NULL,
        "updated_at" timestamptz NOT NULL
      )`);
    await queryRunner.query(`
      ALTER TABLE "bundles"
        ADD COLUMN "schema" text,
        ADD COLUMN "rate_limits" jsonb,
        ADD COLUMN "guardrails" jsonb`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "bundles" DROP COLUMN "schema", DROP COLUMN "rate_limits", DROP COLUMN "guardrails"`,
    );
    await queryRunner.query(`DROP TABLE "tenant_settings"`);
    await queryRunner.query(`DROP TABLE "policies"`);
  }
}
