import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { ChildProcessSupervisor } from '@gateway/testing';

export const revisions = ['2025-11-25', '2026-07-28'] as const;
export type Revision = (typeof revisions)[number];

/** What a spec revision requires of a server, frozen in the suite's requirements/<revision>.yaml. */
export interface Requirements {
  readonly revision: Revision;
  readonly required: readonly string[];
  /** Server scenarios the suite runs for the revision without scoring them, with the reason. */
  readonly notScored: ReadonlyMap<string, string>;
}

export interface FailedCheck {
  readonly id: string;
  readonly message: string;
}

export interface ScenarioResult {
  readonly scenario: string;
  /** Checks with status SUCCESS, FAILURE and WARNING; INFO and SKIPPED are not counted. */
  readonly passed: number;
  readonly failed: number;
  readonly warnings: number;
  readonly failures: readonly FailedCheck[];
}

export interface SuiteRun {
  readonly target: string;
  readonly url: string;
  readonly revision: Revision;
  /** Why the run did not happen (the scenarios then count as not run). */
  readonly notRun?: string;
  readonly exitCode?: number | null;
  readonly timedOut?: boolean;
  readonly durationMs?: number;
  readonly outputDir?: string;
  readonly log?: string;
  readonly scenarios: readonly ScenarioResult[];
}

interface CheckRecord {
  readonly id: string;
  readonly status: string;
  readonly errorMessage?: string;
}

const suitePackage = dirname(require.resolve('@modelcontextprotocol/conformance/package.json'));
const suiteCli = join(suitePackage, 'dist', 'index.js');

export function loadRequirements(revision: Revision): Requirements {
  const file = join(suitePackage, 'requirements', `${revision}.yaml`);
  const document = parseYaml(readFileSync(file, 'utf8')) as {
    server?: string[];
    not_scored?: { scenario: string; leg: string; reason: string }[];
  };
  const notScored = (document.not_scored ?? [])
    .filter((entry) => entry.leg === 'server')
    .map((entry) => [entry.scenario, entry.reason] as const);
  return { revision, required: document.server ?? [], notScored: new Map(notScored) };
}

export interface SuiteOptions {
  readonly target: string;
  readonly url: string;
  readonly revision: Revision;
  /** checks.json of every scenario and the suite's output land here. */
  readonly outputDir: string;
  readonly timeoutMs: number;
  readonly cwd: string;
}

/** `conformance server --url URL --requirements R`, bounded in time, and what each scenario checked. */
export async function runSuite(supervisor: ChildProcessSupervisor, options: SuiteOptions): Promise<SuiteRun> {
  mkdirSync(options.outputDir, { recursive: true });
  const log = join(options.outputDir, 'conformance.log');
  const completion = await supervisor.run(
    `conformance ${options.target} ${options.revision}`,
    process.execPath,
    [suiteCli, 'server', '--url', options.url, '--requirements', options.revision, '-o', options.outputDir],
    { cwd: options.cwd, env: process.env, logFile: log, timeoutMs: options.timeoutMs },
  );
  return {
    target: options.target,
    url: options.url,
    revision: options.revision,
    ...completion,
    outputDir: options.outputDir,
    log,
    scenarios: collectResults(options.outputDir, log),
  };
}

const resultDirPattern = /^server-(.+)-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z$/;
const summaryLinePattern = /^[✓✗] (\S+): (\d+) passed, (\d+) failed/;

/**
 * The suite writes <output>/server-<scenario>-<timestamp>/checks.json per scenario. A scenario
 * that crashed the suite has no checks.json, only its line in the printed summary.
 */
export function collectResults(outputDir: string, log: string): ScenarioResult[] {
  const results = new Map<string, ScenarioResult>();
  for (const entry of readdirSync(outputDir, { withFileTypes: true })) {
    const scenario = entry.isDirectory() ? resultDirPattern.exec(entry.name)?.[1] : undefined;
    const checksFile = join(outputDir, entry.name, 'checks.json');
    if (scenario === undefined || !existsSync(checksFile)) continue;
    const checks = JSON.parse(readFileSync(checksFile, 'utf8')) as CheckRecord[];
    results.set(scenario, summarize(scenario, checks));
  }
  const printed = existsSync(log) ? readFileSync(log, 'utf8').split('\n') : [];
  for (const line of printed) {
    const match = summaryLinePattern.exec(line);
    if (!match || results.has(match[1])) continue;
    const [, scenario, passed, failed] = match;
    results.set(scenario, {
      scenario,
      passed: Number(passed),
      failed: Number(failed),
      warnings: 0,
      failures:
        Number(failed) > 0 ? [{ id: scenario, message: 'failed without checks.json; see the log' }] : [],
    });
  }
  return [...results.values()];
}

function summarize(scenario: string, checks: readonly CheckRecord[]): ScenarioResult {
  const count = (status: string) => checks.filter((check) => check.status === status).length;
  return {
    scenario,
    passed: count('SUCCESS'),
    failed: count('FAILURE'),
    warnings: count('WARNING'),
    failures: checks
      .filter((check) => check.status === 'FAILURE')
      .map((check) => ({ id: check.id, message: check.errorMessage ?? '' })),
  };
}
