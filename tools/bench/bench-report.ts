import type { SideFigures } from './load-phase';
import { round } from './load-phase';

export type TopologyName = 'embedded' | 'distributed';

/** One scenario on one topology: the object `--json` writes per result. */
export interface ScenarioResult {
  readonly name: string;
  /** What sets this result apart from its scenario's others, e.g. "warm" or "1 MiB". */
  readonly variant?: string;
  /** The upstream behind both sides: the project's fixture or server-everything. */
  readonly upstream: 'fixture' | 'everything';
  readonly topology: TopologyName;
  readonly sessions: number;
  readonly direct: SideFigures;
  readonly gateway: SideFigures;
  /** gateway rps / direct rps. */
  readonly ratio: number;
  readonly added_p50_ms: number;
  readonly added_p99_ms: number;
  /** Scenario-specific figures: MiB/s, upstream requests per client request, memory per session. */
  readonly extra?: Readonly<Record<string, number>>;
}

export interface RunMetadata {
  readonly commit: string;
  readonly node: string;
  readonly cpus: number;
  readonly cpu_model: string;
  readonly load_generator: string;
  readonly quick: boolean;
  readonly phase_warmup_ms: number;
  readonly phase_duration_ms: number;
  readonly rounds: number;
  readonly started_at: string;
  readonly duration_s: number;
}

export interface BenchReport {
  readonly metadata: RunMetadata;
  readonly results: readonly ScenarioResult[];
}

export function compare(
  base: Omit<ScenarioResult, 'ratio' | 'added_p50_ms' | 'added_p99_ms'>,
): ScenarioResult {
  return {
    ...base,
    ratio: base.direct.rps > 0 ? round(base.gateway.rps / base.direct.rps, 3) : 0,
    added_p50_ms: round(base.gateway.p50_ms - base.direct.p50_ms, 3),
    added_p99_ms: round(base.gateway.p99_ms - base.direct.p99_ms, 3),
  };
}

const columns = [
  'scenario',
  'topology',
  'upstream',
  'sessions',
  'direct rps',
  'gateway rps',
  'ratio',
  'direct p50/p99 ms',
  'gateway p50/p99 ms',
  'added p50/p99 ms',
  'errors d/g',
  'extra',
] as const;

/** The Markdown summary printed on stdout. */
export function markdownReport(report: BenchReport): string {
  const { metadata } = report;
  const lines = [
    `MCP gateway benchmark: commit ${metadata.commit}, Node ${metadata.node}, ${metadata.cpus} CPUs (${metadata.cpu_model}), ` +
      `load generator ${metadata.load_generator}; ${metadata.rounds} alternating round(s) of ` +
      `${metadata.phase_warmup_ms} ms warm-up + ${metadata.phase_duration_ms} ms per side; ` +
      `${metadata.quick ? 'quick run; ' : ''}${metadata.duration_s} s in all.`,
    '',
    `| ${columns.join(' | ')} |`,
    `|${columns.map(() => '---').join('|')}|`,
    ...report.results.map((result) => `| ${row(result).join(' | ')} |`),
  ];
  return `${lines.join('\n')}\n`;
}

function row(result: ScenarioResult): string[] {
  const extra = Object.entries(result.extra ?? {})
    .map(([key, value]) => `${key} ${value}`)
    .join(', ');
  return [
    result.variant ? `${result.name} (${result.variant})` : result.name,
    result.topology,
    result.upstream,
    String(result.sessions),
    String(result.direct.rps),
    String(result.gateway.rps),
    String(result.ratio),
    `${result.direct.p50_ms} / ${result.direct.p99_ms}`,
    `${result.gateway.p50_ms} / ${result.gateway.p99_ms}`,
    `${result.added_p50_ms} / ${result.added_p99_ms}`,
    `${result.direct.errors} / ${result.gateway.errors}`,
    extra,
  ];
}
