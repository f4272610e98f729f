import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tenants, the principals (users and agents), teams and roles, and who is in which team and holds
 * which role. Roles are labels here: what a role may do is written as Cedar policies in the policy
 * service. Memberships name principals and teams by their ids in the tenant (`agent:build-bot`,
 * `team:sre`), the form tokens and policies use.
 */
export class CreateIdentities1764500000000 implements MigrationInterface {
  name = 'CreateIdentities1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "tenants" (
        "name" text PRIMARY KEY,
        "description" text NOT NULL DEFAULT '',
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "created_by" text NOT NULL
      )`);
    await queryRunner.query(
      `INSERT INTO "tenants" ("name", "description", "created_by") VALUES ('default', 'The default tenant', 'system')`,
    );
    for (const table of ['users', 'agents', 'teams', 'roles']) {
      await queryRunner.query(`
        CREATE TABLE "${table}" (
          "id" text PRIMARY KEY,
          "tenant" text NOT NULL REFERENCES "tenants" ("name"),
          "name" text NOT NULL,
          "description" text NOT NULL DEFAULT '',
          "created_at" timestamptz NOT NULL DEFAULT now(),
          "created_by" text NOT NULL,
          UNIQUE ("tenant", "name")
        )`);
    }
    // The scopes a client may ask for in the client credentials grant.
    await queryRunner.query(`ALTER TABLE "agents" ADD "scopes" text[] NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`
      CREATE TABLE "team_members" (
        "tenant" text NOT NULL,
        "team" text NOT NULL,
        "member" text NOT NULL,
        PRIMARY KEY ("tenant", "team", "member"),
        FOREIGN KEY ("tenant", "team") REFERENCES "teams" ("tenant", "name") ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX "team_members_member" ON "team_members" ("tenant", "member")`);
    await queryRunner.query(`
      CREATE TABLE "role_assignments" (
        "tenant" text NOT NULL,
        "holder" text NOT NULL,
        "role" text NOT NULL,
        PRIMARY KEY ("tenant", "holder", "role"),
        FOREIGN KEY ("tenant", "role") REFERENCES "roles" ("tenant", "name") ON DELETE CASCADE
      )`);
    await queryRunner.query(`
      CREATE TABLE "client_secrets" (
        "id" text PRIMARY KEY,
        "agent_id" text NOT NULL REFERENCES "agents" ("id") ON DELETE CASCADE,
        "secret_hash" text NOT NULL UNIQUE,
        "prefix" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "created_by" text NOT NULL,
        "expires_at" timestamptz,
        "revoked_at" timestamptz
      )`);
    // An API key belongs to a principal, whose roles it carries; the key keeps only its scopes.
    await queryRunner.query(`ALTER TABLE "api_keys" DROP COLUMN "roles"`);
    await queryRunner.query(`
      ALTER TABLE "api_keys"
        ADD "name" text NOT NULL DEFAULT '',
        ADD "prefix" text NOT NULL DEFAULT '',
        ADD "created_at" timestamptz NOT NULL DEFAULT now(),
        ADD "created_by" text NOT NULL DEFAULT 'system',
        ADD "last_used_at" timestamptz`);
    await queryRunner.query(`CREATE INDEX "api_keys_principal" ON "api_keys" ("tenant", "principal_id")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "api_keys_principal"`);
    await queryRunner.query(`
      ALTER TABLE "api_keys"
        DROP COLUMN "name", DROP COLUMN "prefix", DROP COLUMN "created_at",
        DROP COLUMN "created_by", DROP COLUMN "last_used_at",
        ADD "roles" text[] NOT NULL DEFAULT '{}'`);
    for (const table of [
      'client_secrets',
      'role_assignments',
      'team_members',
      'users',
      'agents',
      'teams',
      'roles',
      'tenants',
    ]) {
      await queryRunner.query(`DROP TABLE "${table}"`);
    }
  }
}
