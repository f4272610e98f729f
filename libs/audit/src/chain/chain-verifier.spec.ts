import { type AuditRecord, type ChainHead, emptyHead } from './audit-record';
import { callEntry, tenantChain } from './audit-entry.mapper';
import { callEvents } from './audit-events.fixture';
import { appendToChain } from './chain-appender';
import { type ChainBreak, ChainVerifier } from './chain-verifier';
import { hashRecord } from './record-hasher';

const chain = tenantChain('default');

function buildChain(length: number): { records: AuditRecord[]; head: ChainHead } {
  const entries = callEvents(length).map(callEntry);
  const { records, head } = appendToChain(emptyHead(chain), entries, new Date('2026-11-21T11:00:00Z'));
  return { records: [...records], head };
}

/** Runs a verifier over the records and the head; the first break, or undefined. */
function verify(
  records: readonly AuditRecord[],
  head: ChainHead | undefined,
  verifier = new ChainVerifier(chain),
): ChainBreak | undefined {
  for (const record of records) {
    const found = verifier.check(record);
    if (found) return found;
  }
  return verifier.finish(head);
}

describe('appendToChain', () => {
  it('numbers records from the head on and links each to the hash before it', () => {
    const first = appendToChain(emptyHead(chain), callEvents(2).map(callEntry), new Date());
    const second = appendToChain(first.head, callEvents(1).map(callEntry), new Date());
    const records = [...first.records, ...second.records];
    expect(records.map((record) => record.seq)).toEqual([1, 2, 3]);
    expect(records[1]!.prevHash).toBe(records[0]!.hash);
    expect(records[2]!.prevHash).toBe(records[1]!.hash);
    expect(second.head).toMatchObject({ seq: 3, hash: records[2]!.hash });
  });

  it('never records a time earlier than the head, whatever the clock says', () => {
    const later = new Date('2026-11-21T12:00:00Z');
    const first = appendToChain(emptyHead(chain), callEvents(1).map(callEntry), later);
    const second = appendToChain(first.head, callEvents(1).map(callEntry), new Date('2026-11-21T11:00:00Z'));
    expect(second.records[0]!.recordedAt).toEqual(later);
  });

  it('refuses an entry of another chain', () => {
    const other = callEntry(callEvents(1, { tenant: 'other' })[0]!);
    expect(() => appendToChain(emptyHead(chain), [other], new Date())).toThrow(/belongs to chain/);
  });
});

describe('ChainVerifier', () => {
  it('accepts an intact chain and counts its records', () => {
    const { records, head } = buildChain(5);
    const verifier = new ChainVerifier(chain);
    expect(verify(records, head, verifier)).toBeUndefined();
    expect(verifier.verified).toBe(5);
  });

  it('accepts an empty chain without head', () => {
    expect(verify([], undefined)).toBeUndefined();
  });

  it('names a record whose column was changed without recomputing its hash', () => {
    const { records, head } = buildChain(5);
    records[2] = { ...records[2]!, outcome: 'error' };
    expect(verify(records, head)).toMatchObject({
      seq: 3,
      eventId: records[2]!.eventId,
      kind: 'altered',
    });
  });

  it('names a record replaced by one with a recomputed hash: it no longer links', () => {
    const { records, head } = buildChain(5);
    const forged = { ...records[2]!, event: { ...records[2]!.event, outcome: 'error' } };
    records[2] = { ...forged, hash: hashRecord(forged) };
    expect(verify(records, head)).toMatchObject({ seq: 4, kind: 'broken-link' });
  });

  it('names the gap a deleted record leaves', () => {
    const { records, head } = buildChain(5);
    records.splice(2, 1);
    expect(verify(records, head)).toMatchObject({
      seq: 4,
      kind: 'gap',
      reason: 'records 3 are missing before seq 4',
    });
  });

  it('detects records delivered out of order', () => {
    const { records, head } = buildChain(5);
    const reordered = [records[0]!, records[2]!, records[1]!, records[3]!, records[4]!];
    expect(verify(reordered, head)).toMatchObject({ seq: 3, kind: 'gap' });
  });

  it('detects two records whose seq numbers were swapped', () => {
    const { records, head } = buildChain(5);
    const [second, third] = [records[1]!, records[2]!];
    records[1] = { ...third, seq: 2 };
    records[2] = { ...second, seq: 3 };
    expect(verify(records, head)).toMatchObject({ seq: 2, kind: 'altered' });
  });

  it('detects a duplicated record', () => {
    const { records, head } = buildChain(3);
    records.splice(2, 0, records[1]!);
    expect(verify(records, head)).toMatchObject({ seq: 2, kind: 'out-of-order' });
  });

  it('detects deleted first records when anchored on genesis', () => {
    const { records, head } = buildChain(5);
    expect(verify(records.slice(2), head)).toMatchObject({ seq: 3, kind: 'gap' });
  });

  it('accepts a chain whose first records retention dropped, anchored on the checkpoint', () => {
    const { records, head } = buildChain(5);
    const checkpoint = { seq: 2, hash: records[1]!.hash };
    expect(verify(records.slice(2), head, new ChainVerifier(chain, checkpoint))).toBeUndefined();
  });

  it('still detects records deleted by hand after the checkpoint', () => {
    const { records, head } = buildChain(5);
    const checkpoint = { seq: 2, hash: records[1]!.hash };
    expect(verify(records.slice(3), head, new ChainVerifier(chain, checkpoint))).toMatchObject({
      seq: 4,
      kind: 'gap',
    });
  });

  it('rejects a checkpoint that the first remaining record does not link to', () => {
    const { records, head } = buildChain(5);
    const checkpoint = { seq: 2, hash: 'f'.repeat(64) };
    expect(verify(records.slice(2), head, new ChainVerifier(chain, checkpoint))).toMatchObject({
      seq: 3,
      kind: 'broken-link',
      reason: 'prev_hash of seq 3 is not the hash of the checkpoint',
    });
  });

  it('accepts a chain retention emptied, whose head is the checkpoint', () => {
    const { records, head } = buildChain(3);
    const checkpoint = { seq: 3, hash: records[2]!.hash };
    expect(verify([], head, new ChainVerifier(chain, checkpoint))).toBeUndefined();
  });

  it('detects deleted last records through the head', () => {
    const { records, head } = buildChain(5);
    expect(verify(records.slice(0, 3), head)).toMatchObject({ seq: 4, eventId: null, kind: 'truncated' });
  });

  it('detects a head that does not match the last record', () => {
    const { records, head } = buildChain(3);
    expect(verify(records, { ...head, hash: 'f'.repeat(64) })).toMatchObject({ kind: 'head-mismatch' });
    expect(verify(records, { ...head, seq: 2 })).toMatchObject({ kind: 'head-mismatch' });
    expect(verify(records, undefined)).toMatchObject({ kind: 'head-mismatch' });
  });
});
