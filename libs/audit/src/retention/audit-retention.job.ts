import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { createLogger, type Database } from '@gateway/platform';
import { AUDIT_CONFIG, type AuditConfig } from '../audit-config';
import { AuditPartitionRepository, type DroppedPartition } from '../storage/audit-partition.repository';
import { AUDIT_CLOCK, AUDIT_DATABASE, type Clock } from '../storage/audit-storage.tokens';
import { daysBefore, partitionFor } from '../storage/audit-tables';

/** Partitions created ahead, so that appends around midnight do not wait on a table lock. */
const DAYS_AHEAD = 2;

/**
 * Retention by partition: drops the daily partitions whose every row is older than
 * AUDIT_RETENTION_DAYS, checkpointing each chain first so verification still holds. Runs at
 * start (once the database is ready) and every AUDIT_RETENTION_INTERVAL_MS.
 */
@Injectable()
export class AuditRetentionJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = createLogger('audit-retention');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    @Inject(AUDIT_DATABASE) private readonly database: Database,
    private readonly partitions: AuditPartitionRepository,
    @Inject(AUDIT_CONFIG) private readonly config: AuditConfig,
    @Inject(AUDIT_CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.database.whenReady().then(
      () => {
        if (this.stopped) return;
        this.tick();
        this.timer = setInterval(() => this.tick(), this.config.retentionIntervalMs);
        this.timer.unref();
      },
      () => undefined,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.whenIdle();
  }

  /** Resolves once no run is in progress. */
  async whenIdle(): Promise<void> {
    await this.running;
  }

  /** Creates the coming days' partitions and drops the expired ones; returns what it dropped. */
  async runOnce(): Promise<DroppedPartition[]> {
    const now = this.clock();
    for (let day = 0; day <= DAYS_AHEAD; day += 1) {
      await this.partitions.ensure(partitionFor(daysBefore(now, -day)));
    }
    const cutoff = partitionFor(daysBefore(now, this.config.retentionDays)).from;
    const dropped: DroppedPartition[] = [];
    for (const partition of await this.partitions.list()) {
      if (partition.to.getTime() > cutoff.getTime()) break;
      const result = await this.partitions.dropWithCheckpoint(partition);
      if (result) dropped.push(result);
    }
    if (dropped.length > 0) {
      this.logger.info(
        { partitions: dropped.map((result) => result.partition), retentionDays: this.config.retentionDays },
        'dropped expired audit partitions',
      );
    }
    return dropped;
  }

  private tick(): void {
    if (this.running || this.stopped) return;
    this.running = this.runOnce()
      .then(() => undefined)
      .catch((error: unknown) =>
        this.logger.warn({ err: error }, 'audit retention run failed; retrying later'),
      )
      .finally(() => {
        this.running = undefined;
      });
  }
}
