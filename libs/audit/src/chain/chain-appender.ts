import type { AuditEntry, AuditRecord, ChainHead } from './audit-record';
import { hashRecord } from './record-hasher';

export interface ChainAppend {
  readonly records: readonly AuditRecord[];
  readonly head: ChainHead;
}

/**
 * Links entries onto a chain after its head: consecutive seq, each prev_hash the hash before it.
 * Recorded time never goes backwards within a chain (a replica with a slow clock takes its
 * predecessor's time), so every daily partition holds a contiguous run of each chain and
 * dropping the oldest partitions always removes a prefix of a chain, never a middle.
 */
export function appendToChain(head: ChainHead, entries: readonly AuditEntry[], now: Date): ChainAppend {
  if (entries.length === 0) return { records: [], head };
  const recordedAt = laterOf(now, head.recordedAt);
  let seq = head.seq;
  let prevHash = head.hash;
  const records = entries.map((entry): AuditRecord => {
    if (entry.chain !== head.chain) {
      throw new Error(`entry ${entry.eventId} belongs to chain ${entry.chain}, not ${head.chain}`);
    }
    seq += 1;
    const unhashed = { ...entry, seq, recordedAt, prevHash };
    const record = { ...unhashed, hash: hashRecord(unhashed) };
    prevHash = record.hash;
    return record;
  });
  return { records, head: { chain: head.chain, seq, hash: prevHash, recordedAt } };
}

function laterOf(now: Date, previous: Date | null): Date {
  return previous !== null && previous.getTime() > now.getTime() ? previous : now;
}
