import { randomBytes } from 'node:crypto';
import pino from 'pino';
import {
  Column,
  CreateDateColumn,
  Entity,
  type MigrationInterface,
  PrimaryGeneratedColumn,
  type QueryRunner,
} from 'typeorm';
import type { Logger } from '../observability/logger';

/* A tiny entity and two migrations, shared by the persistence integration suites. */

@Entity({ name: 'notes' })
export class NoteEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'text' })
  body!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/** Names the table without its schema, as service migrations do; the slow insert widens any race. */
export class CreateNotes1700000000001 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE "notes" ("id" serial PRIMARY KEY, "body" text NOT NULL)`);
    await runner.query(`SELECT pg_sleep(0.2)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE "notes"`);
  }
}

export class AddNoteCreatedAt1700000000002 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE "notes" ADD COLUMN "created_at" timestamptz NOT NULL DEFAULT now()`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE "notes" DROP COLUMN "created_at"`);
  }
}

export const noteEntities = [NoteEntity];
export const noteMigrations = [CreateNotes1700000000001, AddNoteCreatedAt1700000000002];

export function uniqueSchema(prefix = 'test'): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}

/** Quiet unless TEST_LOG_LEVEL asks otherwise. */
export function testLogger(): Logger {
  return pino({ level: process.env['TEST_LOG_LEVEL'] ?? 'silent' });
}

/** A logger that keeps the message of every line at info and above, to assert on what happened. */
export function capturingLogger(): { readonly logger: Logger; readonly messages: string[] } {
  const messages: string[] = [];
  const sink = {
    write: (line: string): void => {
      messages.push((JSON.parse(line) as { msg: string }).msg);
    },
  };
  return { logger: pino({ level: 'info' }, sink), messages };
}

/** Polls `condition` until it holds, failing with `what` after the deadline. */
export async function waitFor(what: string, condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
