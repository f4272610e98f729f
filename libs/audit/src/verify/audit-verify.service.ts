import { Inject, Injectable, Optional } from '@nestjs/common';
import { type ChainAnchor, genesisAnchor } from '../chain/audit-record';
import { type ChainBreak, ChainVerifier } from '../chain/chain-verifier';
import { AuditChainRepository } from '../storage/audit-chain.repository';

export interface ChainReport {
  readonly chain: string;
  readonly ok: boolean;
  /** Records checked (those before a break). */
  readonly records: number;
  /** The seq verification started after: 0, or the checkpoint retention left. */
  readonly anchoredAt: number;
  /** The head's seq and hash: publish them elsewhere to prove later that the chain was not rewritten. */
  readonly headSeq: number | null;
  readonly headHash: string | null;
  readonly brokenLink: ChainBreak | null;
}

export interface VerifyReport {
  readonly ok: boolean;
  readonly chains: number;
  readonly records: number;
  /** The first broken link, in chain name order; null when every chain is intact. */
  readonly brokenLink: ChainBreak | null;
  readonly chainReports: readonly ChainReport[];
}

/** A chain was named that has no head, checkpoint or record. */
export class UnknownChainError extends Error {
  override readonly name = 'UnknownChainError';

  constructor(readonly chain: string) {
    super(`no audit chain named "${chain}"`);
  }
}

export const VERIFY_BATCH_SIZE = Symbol('VERIFY_BATCH_SIZE');

/** How often a chain is walked again when retention moved its checkpoint during the walk. */
const MAX_WALKS = 3;

/**
 * Walks every chain (or one) in seq order, in bounded batches, through a ChainVerifier. No long
 * transaction is held (on PGlite one would stall every other service): instead, a break seen
 * while retention moved the chain's checkpoint is re-checked by walking the chain again.
 */
@Injectable()
export class AuditVerifyService {
  private readonly batchSize: number;

  constructor(
    private readonly chains: AuditChainRepository,
    @Optional() @Inject(VERIFY_BATCH_SIZE) batchSize?: number,
  ) {
    this.batchSize = batchSize ?? 1_000;
  }

  async verify(chain?: string): Promise<VerifyReport> {
    const known = await this.chains.chains();
    if (chain !== undefined && !known.includes(chain)) throw new UnknownChainError(chain);
    const names = chain === undefined ? known : [chain];
    const chainReports: ChainReport[] = [];
    for (const name of names) chainReports.push(await this.verifyChain(name));
    const broken = chainReports.find((report) => !report.ok);
    return {
      ok: broken === undefined,
      chains: chainReports.length,
      records: chainReports.reduce((sum, report) => sum + report.records, 0),
      brokenLink: broken?.brokenLink ?? null,
      chainReports,
    };
  }

  private async verifyChain(chain: string): Promise<ChainReport> {
    for (let walk = 1; ; walk += 1) {
      const anchor = (await this.chains.checkpoint(chain)) ?? genesisAnchor;
      const report = await this.walk(chain, anchor);
      if (report.ok || walk === MAX_WALKS) return report;
      const now = (await this.chains.checkpoint(chain)) ?? genesisAnchor;
      if (now.seq === anchor.seq && now.hash === anchor.hash) return report;
    }
  }

  private async walk(chain: string, anchor: ChainAnchor): Promise<ChainReport> {
    // Read before the records: appends commit record and head together, so every record up to
    // the head's seq is there; later appends are beyond it and left for the next run.
    const head = await this.chains.head(chain);
    const verifier = new ChainVerifier(chain, anchor);
    const upTo = head?.seq ?? Number.MAX_SAFE_INTEGER;
    let brokenLink: ChainBreak | undefined;
    let after = anchor.seq;
    while (brokenLink === undefined) {
      const batch = await this.chains.records(chain, after, upTo, this.batchSize);
      for (const record of batch) {
        brokenLink = verifier.check(record);
        if (brokenLink) break;
        after = record.seq;
      }
      if (batch.length < this.batchSize) break;
    }
    brokenLink ??= verifier.finish(head);
    return {
      chain,
      ok: brokenLink === undefined,
      records: verifier.verified,
      anchoredAt: anchor.seq,
      headSeq: head?.seq ?? null,
      headHash: head?.hash ?? null,
      brokenLink: brokenLink ?? null,
    };
  }
}
