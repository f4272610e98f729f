import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The issuer's signing keys (private halves sealed with the master key) and revoked tokens. */
export class CreateSigningKeys1764500000001 implements MigrationInterface {
  name = 'CreateSigningKeys1764500000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "signing_keys" (
        "kid" text PRIMARY KEY,
        "alg" text NOT NULL,
        "public_jwk" jsonb NOT NULL,
        "sealed_private_key" text NOT NULL,
        "created_at" timestamptz NOT NULL,
        "retires_at" timestamptz NOT NULL,
        "expires_at" timestamptz NOT NULL
      )`);
    // Kept until the token expires: token exchange must refuse a revoked subject token.
    await queryRunner.query(`
      CREATE TABLE "revoked_tokens" (
        "jti" text PRIMARY KEY,
        "tenant" text NOT NULL,
        "revoked_at" timestamptz NOT NULL,
        "expires_at" timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX "revoked_tokens_expiry" ON "revoked_tokens" ("expires_at")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "revoked_tokens"`);
    await queryRunner.query(`DROP TABLE "signing_keys"`);
  }
}
