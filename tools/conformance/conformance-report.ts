import type { Requirements, Revision, ScenarioResult, SuiteRun } from './conformance-suite';

export type Outcome = 'pass' | 'fail' | 'not run' | 'not applicable';

export interface Verdict {
  /** Required scenarios the fixture itself fails: the fixture (or the suite) is broken. */
  readonly fixtureFailures: readonly string[];
  /** Required scenarios that pass against the fixture directly but fail through another target. */
  readonly regressions: readonly string[];
  /**
   * Scenarios the revision runs without scoring them (extensions, pending) that pass directly but
   * fail through another target: reported, and, as the suite itself rules, never failing the run.
   */
  readonly notScoredRegressions: readonly string[];
}

type RequirementsByRevision = Readonly<Record<Revision, Requirements>>;

/** Whether the suite runs the scenario for the revision at all (scored or not). */
function appliesTo(requirements: Requirements, scenario: string): boolean {
  return requirements.required.includes(scenario) || requirements.notScored.has(scenario);
}

export function outcomeOf(run: SuiteRun, requirements: Requirements, scenario: string): Outcome {
  const result = run.scenarios.find((candidate) => candidate.scenario === scenario);
  if (result) return result.failed === 0 ? 'pass' : 'fail';
  return appliesTo(requirements, scenario) ? 'not run' : 'not applicable';
}

/** Required scenarios first (in the suite's order), then the ones run without being scored. */
export function scenarioRows(runs: readonly SuiteRun[], requirements: RequirementsByRevision): string[] {
  const all = Object.values(requirements);
  const rows = new Set<string>(all.flatMap((set) => set.required));
  all.forEach((set) => set.notScored.forEach((_reason, scenario) => rows.add(scenario)));
  runs.forEach((run) => run.scenarios.forEach((result) => rows.add(result.scenario)));
  return [...rows];
}

export function judge(
  runs: readonly SuiteRun[],
  requirements: RequirementsByRevision,
  directTarget: string,
): Verdict {
  const fixtureFailures: string[] = [];
  const regressions: string[] = [];
  const notScoredRegressions: string[] = [];
  for (const direct of runs.filter((run) => run.target === directTarget)) {
    const set = requirements[direct.revision];
    for (const scenario of set.required) {
      const outcome = outcomeOf(direct, set, scenario);
      if (outcome !== 'pass') fixtureFailures.push(`${scenario} (${direct.revision}): ${outcome}`);
    }
    const passingDirectly = scenarioRows(runs, requirements).filter(
      (scenario) => outcomeOf(direct, set, scenario) === 'pass',
    );
    for (const other of runs.filter(
      (run) => run.target !== directTarget && run.revision === direct.revision,
    )) {
      if (other.notRun) {
        regressions.push(`every scenario (${other.revision}) via ${other.target}: not run: ${other.notRun}`);
        continue;
      }
      for (const scenario of passingDirectly) {
        const outcome = outcomeOf(other, set, scenario);
        if (outcome === 'fail' || outcome === 'not run') {
          const line = `${scenario} (${other.revision}) via ${other.target}: ${outcome}`;
          (set.required.includes(scenario) ? regressions : notScoredRegressions).push(line);
        }
      }
    }
  }
  return { fixtureFailures, regressions, notScoredRegressions };
}

function cell(run: SuiteRun, requirements: Requirements, scenario: string): string {
  const result = run.scenarios.find((candidate) => candidate.scenario === scenario);
  const outcome = outcomeOf(run, requirements, scenario);
  switch (outcome) {
    case 'not applicable':
      return '·';
    case 'not run':
      return '⚠ not run';
    case 'pass':
    case 'fail':
      return `${outcome === 'pass' ? '✅' : '❌'} ${checkCounts(result)}`;
  }
}

function checkCounts(result: ScenarioResult | undefined): string {
  if (!result) return '';
  const warnings = result.warnings > 0 ? ` ⚠${result.warnings}` : '';
  return `${result.passed}/${result.passed + result.failed}${warnings}`;
}

function requiredBy(requirements: RequirementsByRevision, scenario: string): string {
  const parts = Object.values(requirements).flatMap((set) => {
    if (set.required.includes(scenario)) return [set.revision];
    const reason = set.notScored.get(scenario);
    return reason ? [`${set.revision}: not scored (${reason})`] : [];
  });
  return parts.join('; ') || 'not in a requirement set';
}

/** Rows: scenarios; columns: target x revision; a totals line per column over the required scenarios. */
export function renderTable(runs: readonly SuiteRun[], requirements: RequirementsByRevision): string {
  const header = ['scenario', 'required by', ...runs.map((run) => `${run.target} ${run.revision}`)];
  const lines = [row(header), row(header.map(() => '---'))];
  for (const scenario of scenarioRows(runs, requirements)) {
    const cells = runs.map((run) => cell(run, requirements[run.revision], scenario));
    lines.push(row([scenario, requiredBy(requirements, scenario), ...cells]));
  }
  const totals = runs.map((run) => {
    const set = requirements[run.revision];
    const passed = set.required.filter((scenario) => outcomeOf(run, set, scenario) === 'pass').length;
    const extra = [...set.notScored.keys()].filter((scenario) => outcomeOf(run, set, scenario) === 'pass');
    return `**${passed}/${set.required.length} passed** (+${extra.length}/${set.notScored.size} not scored)`;
  });
  lines.push(row(['**total (required)**', '', ...totals]));
  return lines.join('\n');
}

/** The failing checks of every failing cell, in table order, for reading under the table. */
export function renderFailures(
  runs: readonly SuiteRun[],
  requirements: RequirementsByRevision,
  limitPerScenario = 3,
): string {
  const rows = scenarioRows(runs, requirements);
  const lines: string[] = [];
  for (const run of runs) {
    if (run.notRun) lines.push(`- ${run.target} ${run.revision}: not run: ${run.notRun}`);
    else if (run.timedOut)
      lines.push(`- ${run.target} ${run.revision}: the suite timed out (log: ${run.log})`);
    const failing = run.scenarios.filter((candidate) => candidate.failed > 0);
    failing.sort((a, b) => rows.indexOf(a.scenario) - rows.indexOf(b.scenario));
    for (const result of failing) {
      const shown = result.failures.slice(0, limitPerScenario).map((check) => {
        const message = check.message.replace(/\s+/g, ' ').slice(0, 200);
        return `${check.id}${message ? `: ${message}` : ''}`;
      });
      const more =
        result.failures.length > limitPerScenario ? ` (+${result.failures.length - limitPerScenario})` : '';
      lines.push(`- ${run.target} ${run.revision} ${result.scenario}: ${shown.join('; ')}${more}`);
    }
  }
  return lines.join('\n');
}

function row(cells: readonly string[]): string {
  return `| ${cells.map((text) => text.replace(/\|/g, '\\|')).join(' | ')} |`;
}
