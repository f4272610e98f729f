import { type AuditRecord, type ChainAnchor, type ChainHead, genesisAnchor } from './audit-record';
import { hashRecord } from './record-hasher';

export type ChainBreakKind =
  /** Records are missing before this one (deleted rows, or a dropped partition without checkpoint). */
  | 'gap'
  /** A seq at or below one already seen: a duplicated or renumbered record. */
  | 'out-of-order'
  /** The stored hash is not the hash of the stored content: a column was changed. */
  | 'altered'
  /** The record is intact but does not link to its predecessor: a record was replaced. */
  | 'broken-link'
  /** The chain ends before its head: its last records were deleted. */
  | 'truncated'
  /** The head does not describe the last record, or is missing. */
  | 'head-mismatch';

/** The first place a chain stops proving itself. */
export interface ChainBreak {
  readonly chain: string;
  readonly seq: number;
  /** The record at which the break shows; null when it shows at the chain's end. */
  readonly eventId: string | null;
  readonly kind: ChainBreakKind;
  readonly reason: string;
}

/**
 * Checks one chain record by record, in seq order, starting from its anchor: each record must
 * carry the next seq, hash to its stored hash, and link to the hash before it; at the end, the
 * chain head must name the last record. Anchoring on the checkpoint retention left (not on
 * genesis) is what lets the oldest partitions go, while rows deleted by hand still show as a gap.
 */
export class ChainVerifier {
  private expectedSeq: number;
  private previousHash: string;
  private verifiedCount = 0;

  constructor(
    readonly chain: string,
    private readonly anchor: ChainAnchor = genesisAnchor,
  ) {
    this.expectedSeq = anchor.seq + 1;
    this.previousHash = anchor.hash;
  }

  /** Records that passed so far. */
  get verified(): number {
    return this.verifiedCount;
  }

  /** The seq of the last record that passed, or of the anchor. */
  get position(): number {
    return this.expectedSeq - 1;
  }

  /** Checks the next record; returns the break it shows, or undefined when it is sound. */
  check(record: AuditRecord): ChainBreak | undefined {
    if (record.chain !== this.chain) {
      throw new Error(`record ${record.eventId} of chain ${record.chain} given to verifier of ${this.chain}`);
    }
    const found = this.findBreak(record);
    if (found) return this.breakAt(record, found.kind, found.reason);
    this.expectedSeq = record.seq + 1;
    this.previousHash = record.hash;
    this.verifiedCount += 1;
    return undefined;
  }

  /** Checks that the head names the last record checked; call after the last record. */
  finish(head: ChainHead | undefined): ChainBreak | undefined {
    const last = this.position;
    if (head === undefined) {
      if (this.verifiedCount === 0 && this.anchor.seq === genesisAnchor.seq) return undefined;
      return this.breakAtEnd(last, 'head-mismatch', `the chain has no head, yet reaches seq ${last}`);
    }
    if (head.seq > last) {
      return this.breakAtEnd(
        last + 1,
        'truncated',
        `the head is at seq ${head.seq} but the chain ends at seq ${last}: records ${last + 1}..${head.seq} are missing`,
      );
    }
    if (head.seq < last) {
      return this.breakAtEnd(last, 'head-mismatch', `the head is at seq ${head.seq}, behind the last record`);
    }
    if (head.hash !== this.previousHash) {
      return this.breakAtEnd(last, 'head-mismatch', `the head's hash is not the hash of record ${last}`);
    }
    return undefined;
  }

  private findBreak(record: AuditRecord): { kind: ChainBreakKind; reason: string } | undefined {
    const expected = this.expectedSeq;
    if (record.seq > expected) {
      const missing = expected === record.seq - 1 ? `${expected}` : `${expected}..${record.seq - 1}`;
      return { kind: 'gap', reason: `records ${missing} are missing before seq ${record.seq}` };
    }
    if (record.seq < expected) {
      return { kind: 'out-of-order', reason: `seq ${record.seq} found where seq ${expected} was expected` };
    }
    if (hashRecord(record) !== record.hash) {
      return { kind: 'altered', reason: `the stored hash does not match the content of seq ${record.seq}` };
    }
    if (record.prevHash !== this.previousHash) {
      const previous =
        expected - 1 === this.anchor.seq && this.anchor.seq > 0 ? 'the checkpoint' : `seq ${expected - 1}`;
      return { kind: 'broken-link', reason: `prev_hash of seq ${record.seq} is not the hash of ${previous}` };
    }
    return undefined;
  }

  private breakAt(record: AuditRecord, kind: ChainBreakKind, reason: string): ChainBreak {
    return { chain: this.chain, seq: record.seq, eventId: record.eventId, kind, reason };
  }

  private breakAtEnd(seq: number, kind: ChainBreakKind, reason: string): ChainBreak {
    return { chain: this.chain, seq, eventId: null, kind, reason };
  }
}
