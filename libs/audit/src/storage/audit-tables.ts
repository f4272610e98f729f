import { Inject, Injectable } from '@nestjs/common';
import { AUDIT_SCHEMA } from './audit-storage.tokens';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const PARTITION_NAME = /^records_(\d{4})(\d{2})(\d{2})$/;
const DAY_MS = 24 * 60 * 60 * 1000;

/** One daily partition of the records table: rows recorded in [from, to). */
export interface DailyPartition {
  readonly name: string;
  readonly from: Date;
  readonly to: Date;
}

/**
 * Schema-qualified names of the audit tables. Repositories run plain SQL (a partitioned table,
 * row locks, jsonb_to_recordset), so the names are built once here rather than in every query.
 */
@Injectable()
export class AuditTables {
  readonly records: string;
  readonly chainHeads: string;
  readonly eventIds: string;
  readonly checkpoints: string;

  constructor(@Inject(AUDIT_SCHEMA) readonly schema: string) {
    if (!SCHEMA_NAME.test(schema)) throw new Error(`invalid audit schema name "${schema}"`);
    this.records = this.qualified('records');
    this.chainHeads = this.qualified('chain_heads');
    this.eventIds = this.qualified('event_ids');
    this.checkpoints = this.qualified('chain_checkpoints');
  }

  qualified(table: string): string {
    return `"${this.schema}"."${table}"`;
  }
}

/** The partition that holds rows recorded at `time` (UTC days). */
export function partitionFor(time: Date): DailyPartition {
  const from = new Date(Math.floor(time.getTime() / DAY_MS) * DAY_MS);
  const day = from.toISOString().slice(0, 10).replaceAll('-', '');
  return { name: `records_${day}`, from, to: new Date(from.getTime() + DAY_MS) };
}

/** The partition a table name stands for, or undefined for a table that is not one of ours. */
export function partitionNamed(name: string): DailyPartition | undefined {
  const match = PARTITION_NAME.exec(name);
  if (!match) return undefined;
  const from = new Date(`${match[1]}-${match[2]}-${match[3]}T00:00:00.000Z`);
  return Number.isNaN(from.getTime()) ? undefined : partitionFor(from);
}

export function daysBefore(time: Date, days: number): Date {
  return new Date(time.getTime() - days * DAY_MS);
}
