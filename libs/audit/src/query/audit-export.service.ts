import { Readable, type Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { stringify } from 'csv-stringify';
import type { AuditRecord } from '../chain/audit-record';
import { AuditQueryRepository } from '../storage/audit-query.repository';
import type { AuditFilters, ExportQuery } from './audit-query';
import { csvColumns, csvRecord, recordView } from './audit-record.view';

export type ExportFormat = ExportQuery['format'];

/** An export whose first rows have been read: it can still fail as a whole before any byte is sent. */
export interface AuditExport {
  readonly contentType: string;
  readonly fileName: string;
  /** Streams every matching record into `destination`, waiting whenever it is full. */
  pipeTo(destination: Writable): Promise<void>;
}

export const EXPORT_BATCH_SIZE = Symbol('EXPORT_BATCH_SIZE');

/**
 * Exports the trail oldest first as NDJSON or CSV. Records are read in keyset batches only as
 * the destination drains (Readable.from pulls the generator on demand), so memory stays constant
 * however large the export and a slow or vanished client stops the reading.
 */
@Injectable()
export class AuditExportService {
  private readonly batchSize: number;

  constructor(
    private readonly records: AuditQueryRepository,
    @Optional() @Inject(EXPORT_BATCH_SIZE) batchSize?: number,
  ) {
    this.batchSize = batchSize ?? 500;
  }

  async open(filters: AuditFilters, format: ExportFormat): Promise<AuditExport> {
    const records = this.records.stream(filters, 'oldest-first', this.batchSize);
    // Runs the first query now: a database that is down is still an HTTP error, not a cut stream.
    const first = await records.next();
    const source = (): Readable => Readable.from(startingWith(first, records));
    switch (format) {
      case 'ndjson':
        return {
          contentType: 'application/x-ndjson; charset=utf-8',
          fileName: 'audit-export.ndjson',
          pipeTo: (destination) => pipeline(source(), ndjsonLines, destination),
        };
      case 'csv':
        return {
          contentType: 'text/csv; charset=utf-8',
          fileName: 'audit-export.csv',
          pipeTo: (destination) => pipeline(source(), csvRows, csvText(), destination),
        };
    }
  }
}

async function* startingWith(
  first: IteratorResult<AuditRecord>,
  rest: AsyncGenerator<AuditRecord>,
): AsyncGenerator<AuditRecord> {
  if (first.done) return;
  yield first.value;
  yield* rest;
}

async function* ndjsonLines(records: AsyncIterable<AuditRecord>): AsyncGenerator<string> {
  for await (const record of records) yield `${JSON.stringify(recordView(record))}\n`;
}

async function* csvRows(records: AsyncIterable<AuditRecord>): AsyncGenerator<ReturnType<typeof csvRecord>> {
  for await (const record of records) yield csvRecord(record);
}

function csvText(): Transform {
  // escape_formulas: agents choose tool names and error texts, and a cell starting with "=" would
  // run as a formula in the spreadsheet a reviewer opens the export in.
  return stringify({ header: true, columns: [...csvColumns], escape_formulas: true });
}
