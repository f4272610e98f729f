import { compare, markdownReport, type ScenarioResult } from './bench-report';
import type { SideFigures } from './load-phase';

const side = (rps: number, p50: number, p99: number, errors = 0): SideFigures => ({
  rps,
  p50_ms: p50,
  p90_ms: p50,
  p99_ms: p99,
  errors,
  requests: rps * 10,
  duration_s: 10,
});

describe('compare', () => {
  it('derives the ratio and the added latency from both sides', () => {
    const result = compare({
      name: 'call',
      upstream: 'fixture',
      topology: 'embedded',
      sessions: 32,
      direct: side(8000, 1.2, 4.5),
      gateway: side(3000, 2.0, 9.25),
    });
    expect(result).toMatchObject({ ratio: 0.375, added_p50_ms: 0.8, added_p99_ms: 4.75 });
  });

  it('gives a ratio of 0 when the direct side answered nothing', () => {
    const result = compare({
      name: 'call',
      upstream: 'fixture',
      topology: 'embedded',
      sessions: 1,
      direct: side(0, 0, 0, 12),
      gateway: side(100, 1, 2),
    });
    expect(result.ratio).toBe(0);
  });
});

describe('markdownReport', () => {
  it('prints the run metadata and a row per result with its errors and extra figures', () => {
    const result: ScenarioResult = compare({
      name: 'list',
      variant: 'warm',
      upstream: 'fixture',
      topology: 'distributed',
      sessions: 1,
      direct: side(100, 9, 20),
      gateway: side(400, 2, 5, 3),
      extra: { upstream_lists_per_list: 0.02 },
    });
    const text = markdownReport({
      metadata: {
        commit: 'abc1234',
        node: 'v24.21.0',
        cpus: 2,
        cpu_model: 'test CPU',
        load_generator: 'tools/bench',
        quick: true,
        phase_warmup_ms: 200,
        phase_duration_ms: 1000,
        rounds: 1,
        started_at: '2026-11-21T00:00:00.000Z',
        duration_s: 42,
      },
      results: [result],
    });
    expect(text).toContain('commit abc1234, Node v24.21.0, 2 CPUs (test CPU)');
    expect(text).toContain(
      '| list (warm) | distributed | fixture | 1 | 100 | 400 | 4 | 9 / 20 | 2 / 5 | -7 / -15 | 0 / 3 | upstream_lists_per_list 0.02 |',
    );
  });
});
