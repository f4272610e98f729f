import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateCallEvents1763700000000 implements MigrationInterface {
  name = 'CreateCallEvents1763700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "call_events" (
        "event_id" uuid PRIMARY KEY,
        "occurred_at" timestamptz NOT NULL,
        "session_id" text NOT NULL,
        "tenant" text NOT NULL,
        "principal" text NOT NULL,
        "method" text NOT NULL,
        "server" text,
        "target" text,
        "decision" text NOT NULL,
        "outcome" text NOT NULL,
        "error_code" integer,
        "error_message" text,
        "latency_ms" double precision NOT NULL,
        "request_bytes" integer NOT NULL,
        "response_bytes" integer NOT NULL,
        "trace_id" text,
        "ingress_instance" text NOT NULL,
        "recorded_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX "call_events_session" ON "call_events" ("session_id", "occurred_at")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "call_events"`);
  }
}
