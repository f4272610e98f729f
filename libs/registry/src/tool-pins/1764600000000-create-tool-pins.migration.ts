import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateToolPins1764600000000 implements MigrationInterface {
  name = 'CreateToolPins1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "tool_pins" (
        "server_id" text NOT NULL,
        "tool" text NOT NULL,
        "status" text NOT NULL CHECK ("status" IN ('approved', 'quarantined', 'held')),
        "approved_fingerprint" text,
        "observed_fingerprint" text NOT NULL,
        "observed_definition" jsonb NOT NULL,
        "findings" jsonb NOT NULL,
        "decided_by" text NOT NULL,
        "decided_at" timestamptz NOT NULL,
        PRIMARY KEY ("server_id", "tool")
      )`);
    await queryRunner.query(`CREATE INDEX "tool_pins_status" ON "tool_pins" ("status")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "tool_pins"`);
  }
}
