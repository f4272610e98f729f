import { judge, renderTable } from './conformance-report';
import type { Requirements, ScenarioResult, SuiteRun } from './conformance-suite';

const requirements: Record<'2025-11-25' | '2026-07-28', Requirements> = {
  '2025-11-25': { revision: '2025-11-25', required: ['ping', 'tools-list'], notScored: new Map() },
  '2026-07-28': {
    revision: '2026-07-28',
    required: ['tools-list'],
    notScored: new Map([['tasks-lifecycle', 'extension']]),
  },
};

function result(scenario: string, passed: number, failed = 0): ScenarioResult {
  const failures = Array.from({ length: failed }, (_, index) => ({
    id: `${scenario}-${index}`,
    message: 'no',
  }));
  return { scenario, passed, failed, warnings: 0, failures };
}

function run(target: string, revision: SuiteRun['revision'], scenarios: ScenarioResult[]): SuiteRun {
  return { target, url: `http://127.0.0.1/${target}`, revision, scenarios };
}

describe('conformance report', () => {
  it('flags required scenarios the fixture fails or never ran', () => {
    const verdict = judge([run('fixture', '2025-11-25', [result('ping', 2, 1)])], requirements, 'fixture');
    expect(verdict.fixtureFailures).toEqual(['ping (2025-11-25): fail', 'tools-list (2025-11-25): not run']);
  });

  it('flags a scenario that passes directly but not through another target; a not scored one only as a report', () => {
    const verdict = judge(
      [
        run('fixture', '2026-07-28', [result('tools-list', 4), result('tasks-lifecycle', 9)]),
        run('gateway', '2026-07-28', [result('tools-list', 4), result('tasks-lifecycle', 8, 1)]),
        run('virtual', '2026-07-28', [result('tasks-lifecycle', 9)]),
      ],
      requirements,
      'fixture',
    );
    expect(verdict).toEqual({
      fixtureFailures: [],
      regressions: ['tools-list (2026-07-28) via virtual: not run'],
      notScoredRegressions: ['tasks-lifecycle (2026-07-28) via gateway: fail'],
    });
  });

  it('reports a target that could not run once, not per scenario', () => {
    const gateway: SuiteRun = { ...run('gateway', '2025-11-25', []), notRun: 'the gateway exited with 1' };
    const fixture = run('fixture', '2025-11-25', [result('ping', 2), result('tools-list', 3)]);
    expect(judge([fixture, gateway], requirements, 'fixture').regressions).toEqual([
      'every scenario (2025-11-25) via gateway: not run: the gateway exited with 1',
    ]);
  });

  it('renders one row per scenario, one column per target and revision, and totals', () => {
    const table = renderTable(
      [run('fixture', '2025-11-25', [result('ping', 2), result('tools-list', 1, 2)])],
      requirements,
    ).split('\n');
    expect(table[0]).toBe('| scenario | required by | fixture 2025-11-25 |');
    expect(table).toContain('| ping | 2025-11-25 | ✅ 2/2 |');
    expect(table).toContain('| tools-list | 2025-11-25; 2026-07-28 | ❌ 1/3 |');
    expect(table).toContain('| tasks-lifecycle | 2026-07-28: not scored (extension) | · |');
    expect(table.at(-1)).toBe('| **total (required)** |  | **1/2 passed** (+0/0 not scored) |');
  });
});
