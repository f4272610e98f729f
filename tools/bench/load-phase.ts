import { createHistogram, performance, type RecordableHistogram } from 'node:perf_hooks';

export interface PhaseTiming {
  /** Run and discarded first: connections, JIT and caches settle. */
  readonly warmupMs: number;
  readonly durationMs: number;
}

/** What one side (direct or gateway) measured, over one or more alternating phases. */
export class SideMeasurement {
  /** Latency of each successful operation, in nanoseconds. */
  readonly latency: RecordableHistogram = createHistogram({ lowest: 1, highest: 120e9, figures: 3 });
  completed = 0;
  errors = 0;
  /** Every operation started, warm-up included (for per-operation counters read around a phase). */
  attempts = 0;
  measuredMs = 0;
  /** The first few distinct error messages, so an error count can be explained. */
  readonly errorSamples: string[] = [];

  recordError(error: unknown): void {
    this.errors += 1;
    const message = error instanceof Error ? error.message : String(error);
    if (this.errorSamples.length < 5 && !this.errorSamples.includes(message)) this.errorSamples.push(message);
  }

  figures(): SideFigures {
    const seconds = this.measuredMs / 1000;
    const percentile = (p: number) => (this.completed === 0 ? 0 : round(this.latency.percentile(p) / 1e6, 3));
    return {
      rps: seconds > 0 ? round(this.completed / seconds, 1) : 0,
      p50_ms: percentile(50),
      p90_ms: percentile(90),
      p99_ms: percentile(99),
      errors: this.errors,
      requests: this.completed,
      duration_s: round(seconds, 2),
      ...(this.errorSamples.length > 0 && { error_samples: [...this.errorSamples] }),
    };
  }
}

/** One side's figures in the report. Throughput counts only operations whose answers checked out. */
export interface SideFigures {
  readonly rps: number;
  readonly p50_ms: number;
  readonly p90_ms: number;
  readonly p99_ms: number;
  readonly errors: number;
  readonly requests: number;
  readonly duration_s: number;
  readonly error_samples?: readonly string[];
}

/**
 * Closed-loop load: `workers` loops, each starting its next operation when the previous one ends,
 * for the warm-up and then the measured duration. Operations started during the warm-up are not
 * counted; the measured time runs from the end of the warm-up until the last operation ends.
 */
export async function runClosedLoop(
  workers: number,
  operation: (worker: number) => Promise<void>,
  timing: PhaseTiming,
  into: SideMeasurement,
): Promise<void> {
  const measuredFrom = performance.now() + timing.warmupMs;
  const stopAt = measuredFrom + timing.durationMs;
  const loop = async (worker: number): Promise<void> => {
    for (let startedAt = performance.now(); startedAt < stopAt; startedAt = performance.now()) {
      into.attempts += 1;
      const measured = startedAt >= measuredFrom;
      try {
        await operation(worker);
        if (!measured) continue;
        into.completed += 1;
        into.latency.record(Math.max(1, Math.round((performance.now() - startedAt) * 1e6)));
      } catch (error) {
        if (measured) into.recordError(error);
      }
    }
  };
  await Promise.all(Array.from({ length: workers }, (_, worker) => loop(worker)));
  into.measuredMs += Math.max(0, performance.now() - measuredFrom);
}

/** Runs `count` operations, at most `concurrency` at a time, each recorded like a closed loop's. */
export async function runBounded(
  count: number,
  concurrency: number,
  operation: (index: number) => Promise<void>,
  into: SideMeasurement,
): Promise<void> {
  const startedAt = performance.now();
  let next = 0;
  const loop = async (): Promise<void> => {
    for (let index = next++; index < count; index = next++) {
      const operationStartedAt = performance.now();
      into.attempts += 1;
      try {
        await operation(index);
        into.completed += 1;
        into.latency.record(Math.max(1, Math.round((performance.now() - operationStartedAt) * 1e6)));
      } catch (error) {
        into.recordError(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, loop));
  into.measuredMs += performance.now() - startedAt;
}

export function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
