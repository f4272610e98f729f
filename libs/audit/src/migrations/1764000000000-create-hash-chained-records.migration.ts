import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Replaces call_events with hash-chained records of calls, security events and admin changes.
 * The project is unreleased, so call_events is dropped, not copied. Runs on Postgres and PGlite.
 */
export class CreateHashChainedRecords1764000000000 implements MigrationInterface {
  name = 'CreateHashChainedRecords1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "call_events"`);
    // Partitioned by the time audit recorded a row, so retention drops whole days; a unique key
    // must contain the partition key, hence event ids are kept unique in event_ids instead.
    await queryRunner.query(`
      CREATE TABLE "records" (
        "recorded_at" timestamptz NOT NULL,
        "chain" text NOT NULL,
        "seq" bigint NOT NULL,
        "kind" text NOT NULL CONSTRAINT "records_kind" CHECK ("kind" IN ('call', 'security', 'admin')),
        "event_id" uuid NOT NULL,
        "occurred_at" timestamptz NOT NULL,
        "tenant" text,
        "principal" text,
        "server" text,
        "target" text,
        "method" text,
        "decision" text,
        "outcome" text,
        "session_id" text,
        "trace_id" text,
        "event" jsonb NOT NULL,
        "prev_hash" text NOT NULL,
        "hash" text NOT NULL,
        PRIMARY KEY ("chain", "seq", "recorded_at")
      ) PARTITION BY RANGE ("recorded_at")`);
    // Keyset pagination orders by (occurred_at, event_id); each filter has its own index.
    const indexes: Record<string, string> = {
      records_occurred_at: `"occurred_at", "event_id"`,
      records_tenant: `"tenant", "occurred_at"`,
      records_principal: `"principal", "occurred_at"`,
      records_server: `"server", "occurred_at"`,
      records_target: `"target", "occurred_at"`,
      records_session: `"session_id", "occurred_at"`,
    };
    for (const [name, columns] of Object.entries(indexes)) {
      await queryRunner.query(`CREATE INDEX "${name}" ON "records" (${columns})`);
    }
    await queryRunner.query(`
      CREATE TABLE "chain_heads" (
        "chain" text PRIMARY KEY,
        "seq" bigint NOT NULL,
        "hash" text NOT NULL,
        "recorded_at" timestamptz
      )`);
    await queryRunner.query(`
      CREATE TABLE "event_ids" (
        "event_id" uuid PRIMARY KEY,
        "recorded_at" timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX "event_ids_recorded_at" ON "event_ids" ("recorded_at")`);
    await queryRunner.query(`
      CREATE TABLE "chain_checkpoints" (
        "chain" text PRIMARY KEY,
        "seq" bigint NOT NULL,
        "hash" text NOT NULL,
        "partition" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "chain_checkpoints", "event_ids", "chain_heads", "records"`);
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
}
