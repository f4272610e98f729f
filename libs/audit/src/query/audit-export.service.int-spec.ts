import { Writable } from 'node:stream';
import { waitFor } from '@gateway/testing';
import { callEntry } from '../chain/audit-entry.mapper';
import { callEvents } from '../chain/audit-events.fixture';
import { type AuditStore, openAuditStore, postgresUrl, uniqueSchema } from '../storage/audit-store.fixture';

jest.setTimeout(60_000);

/** A destination that holds its first chunk until the gate opens: a client that stopped reading. */
class GatedWritable extends Writable {
  readonly chunks: string[] = [];
  private held?: () => void;
  private open = false;

  constructor() {
    super({ highWaterMark: 1 });
  }

  override _write(chunk: Buffer, _encoding: string, done: (error?: Error) => void): void {
    this.chunks.push(chunk.toString());
    if (this.open) done();
    else this.held = done;
  }

  openGate(): void {
    this.open = true;
    this.held?.();
  }
}

describe('AuditExportService against Postgres', () => {
  const schema = uniqueSchema();
  const total = 300;
  const batchSize = 3;
  let store: AuditStore;

  beforeAll(async () => {
    store = await openAuditStore(postgresUrl, schema, { exportBatchSize: batchSize });
    await store.records.recordMany(callEvents(total, { tenant: 'bulk' }).map(callEntry));
  });

  afterAll(async () => {
    await store?.sql(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await store?.close();
  });

  it('reads further batches only as the destination drains', async () => {
    const find = jest.spyOn(store.query, 'find');
    const opened = await store.exports.open({ tenant: 'bulk' }, 'ndjson');
    const destination = new GatedWritable();
    const done = opened.pipeTo(destination);

    await waitFor(() => destination.chunks.length === 1, { description: 'the first line to arrive' });
    // Only time can show that reading stopped: give the pipeline far longer than it needs to
    // read every batch were it ignoring back-pressure (all 100 take well under this).
    await new Promise((resolve) => setTimeout(resolve, 500));
    const batchesWhileBlocked = find.mock.calls.length;
    expect(batchesWhileBlocked).toBeLessThan(20);

    destination.openGate();
    await done;
    expect(destination.chunks.join('').trimEnd().split('\n')).toHaveLength(total);
    expect(find.mock.calls.length).toBeGreaterThanOrEqual(total / batchSize);
    find.mockRestore();
  });
});
