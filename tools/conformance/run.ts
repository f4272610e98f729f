/**
 * Runs the official MCP conformance suite (@modelcontextprotocol/conformance) against the
 * project's conformance fixture, directly and through the gateway, for both protocol eras.
 *
 *   npm run test:conformance [-- options]
 *   (= tools/node/with-node.sh node -r @swc-node/register tools/conformance/run.ts [options])
 *
 * By default it starts the fixture (apps/mcp-fixtures/src/conformance/main.ts) on a free port
 * and runs `conformance server --url <fixture> --requirements <revision>` for 2025-11-25 and
 * 2026-07-28, one run after the other. Then it prints a Markdown table: one row per scenario,
 * one column per target and revision, each cell "✅ passed/scored checks" or "❌ ...", and a
 * totals line per column.
 *
 * Options:
 *   --gateway               also start the embedded gateway (from source) in front of the fixture,
 *                           with tools/conformance/gateway.yaml, and test its /mcp (target
 *                           "gateway") and /servers/conformance/mcp (target "virtual"; skipped with
 *                           a message when the registry does not accept virtual servers yet)
 *   --target NAME=URL       another endpoint to test, e.g. a gateway started by hand in front of
 *                           the fixture (see --fixture-port); repeatable
 *   --target-key KEY        an API key for the --target endpoints: the suite then reaches each of
 *                           them through a loopback proxy that sends "Authorization: Bearer KEY"
 *   --only-direct           test the fixture only (ignores --gateway and --target)
 *   --revision R            2025-11-25 or 2026-07-28; repeatable; default both
 *   --fixture-port N        port for the fixture (default: a free one)
 *   --fixture-url URL       test a fixture that is already running instead of starting one
 *   --results-dir DIR       where the suite output and logs go (default .data/conformance/<time>)
 *   --json FILE             also write every result as JSON
 *   --suite-timeout S       seconds one suite run may take before it is stopped (default 600)
 *
 * Exit code: 0 when the fixture passes every required scenario and every scenario that passes
 * against the fixture also passes through every other target; 1 otherwise (the offending
 * scenarios are listed); 2 when the run could not be set up.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ChildProcessSupervisor } from '@gateway/testing';
import { judge, renderFailures, renderTable, type Verdict } from './conformance-report';
import { startAuthenticatingProxy } from './authenticating.proxy';
import { loadRequirements, revisions, runSuite, type Revision, type SuiteRun } from './conformance-suite';
import { startFixture } from './fixture.launcher';
import { startGateway } from './gateway.launcher';

const repositoryRoot = resolve(__dirname, '..', '..');
const directTarget = 'fixture';

interface Target {
  readonly name: string;
  readonly url: string;
}

interface RunOptions {
  readonly gateway: boolean;
  readonly extraTargets: readonly Target[];
  readonly targetKey?: string;
  readonly revisions: readonly Revision[];
  readonly fixturePort: number;
  readonly fixtureUrl?: string;
  readonly resultsDir: string;
  readonly json?: string;
  readonly suiteTimeoutMs: number;
}

function parseOptions(argv: readonly string[]): RunOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      gateway: { type: 'boolean', default: false },
      target: { type: 'string', multiple: true, default: [] },
      'target-key': { type: 'string' },
      'only-direct': { type: 'boolean', default: false },
      revision: { type: 'string', multiple: true, default: [] },
      'fixture-port': { type: 'string', default: '0' },
      'fixture-url': { type: 'string' },
      'results-dir': { type: 'string' },
      json: { type: 'string' },
      'suite-timeout': { type: 'string', default: '600' },
    },
  });
  const onlyDirect = values['only-direct'];
  const extraTargets = onlyDirect ? [] : values.target.map(parseTarget);
  const chosen = values.revision.length > 0 ? values.revision : [...revisions];
  for (const revision of chosen) {
    if (!(revisions as readonly string[]).includes(revision)) {
      throw new UsageError(`--revision: expected one of ${revisions.join(', ')}, got "${revision}"`);
    }
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return {
    gateway: values.gateway && !onlyDirect,
    extraTargets,
    targetKey: values['target-key'],
    revisions: chosen as Revision[],
    fixturePort: positiveInteger('--fixture-port', values['fixture-port'], true),
    fixtureUrl: values['fixture-url'],
    resultsDir: resolve(values['results-dir'] ?? join(repositoryRoot, '.data', 'conformance', stamp)),
    json: values.json === undefined ? undefined : resolve(values.json),
    suiteTimeoutMs: positiveInteger('--suite-timeout', values['suite-timeout'], false) * 1000,
  };
}

function parseTarget(text: string): Target {
  const match = /^([A-Za-z0-9_-]+)=(https?:\/\/\S+)$/.exec(text);
  if (!match || match[1] === directTarget) {
    throw new UsageError(`--target: expected NAME=http(s)://..., NAME not "${directTarget}", got "${text}"`);
  }
  return { name: match[1], url: match[2] };
}

function positiveInteger(option: string, text: string, zeroAllowed: boolean): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < (zeroAllowed ? 0 : 1)) {
    throw new UsageError(
      `${option}: expected a ${zeroAllowed ? 'non-negative' : 'positive'} integer, got "${text}"`,
    );
  }
  return value;
}

class UsageError extends Error {}

async function run(options: RunOptions, supervisor: ChildProcessSupervisor): Promise<Verdict> {
  mkdirSync(options.resultsDir, { recursive: true });
  const fixtureUrl =
    options.fixtureUrl ??
    (
      await startFixture(supervisor, {
        repositoryRoot,
        logDir: options.resultsDir,
        port: options.fixturePort,
        timeoutMs: 60_000,
      })
    ).url;
  log(`fixture: ${fixtureUrl}`);
  // The gateway answers 401 to an MCP request without a credential and the suite cannot send one:
  // authenticated targets are reached through a proxy that adds it (authenticating.proxy.ts).
  const closeProxies: Array<() => Promise<void>> = [];
  try {
    const targets = await startTargets(options, supervisor, fixtureUrl, closeProxies);
    const runs = await runSuites(options, supervisor, targets);
    return report(options, targets, runs);
  } finally {
    await Promise.all(closeProxies.map((close) => close()));
  }
}

interface Targets {
  readonly list: Target[];
  /** Targets that could not be started, with the reason: their scenarios count as not run. */
  readonly notRun: Map<string, string>;
}

async function startTargets(
  options: RunOptions,
  supervisor: ChildProcessSupervisor,
  fixtureUrl: string,
  closeProxies: Array<() => Promise<void>>,
): Promise<Targets> {
  const targets: Target[] = [{ name: directTarget, url: fixtureUrl }];
  for (const target of options.extraTargets) {
    if (options.targetKey === undefined) {
      targets.push(target);
      continue;
    }
    const proxy = await startAuthenticatingProxy(new URL(target.url), {
      authorization: `Bearer ${options.targetKey}`,
    });
    closeProxies.push(() => proxy.close());
    targets.push({ name: target.name, url: proxy.urlFor(target.url) });
    log(`${target.name}: ${target.url}, through the authenticating proxy ${proxy.origin}`);
  }
  const notRun = new Map<string, string>();
  if (options.gateway) {
    try {
      const gateway = await startGateway(supervisor, {
        repositoryRoot,
        logDir: options.resultsDir,
        fixtureUrl,
        timeoutMs: 180_000,
      });
      closeProxies.push(() => gateway.close());
      targets.push({ name: 'gateway', url: gateway.mcpUrl });
      if (gateway.virtualUrl) targets.push({ name: 'virtual', url: gateway.virtualUrl });
      else log(`virtual target skipped: ${gateway.virtualSkipped}`);
      log(`gateway: ${gateway.baseUrl}, through the authenticating proxy ${gateway.mcpUrl}`);
    } catch (error) {
      // Counted against the gateway target: every scenario the fixture passes is then "not run".
      targets.push({ name: 'gateway', url: '(not started)' });
      notRun.set('gateway', (error as Error).message);
      log(`gateway: ${(error as Error).message}`);
    }
  }
  return { list: targets, notRun };
}

async function runSuites(
  options: RunOptions,
  supervisor: ChildProcessSupervisor,
  targets: Targets,
): Promise<SuiteRun[]> {
  const runs: SuiteRun[] = [];
  for (const revision of options.revisions) {
    for (const target of targets.list) {
      const reason = targets.notRun.get(target.name);
      if (reason) {
        runs.push({ target: target.name, url: target.url, revision, notRun: reason, scenarios: [] });
        continue;
      }
      log(`running ${revision} against ${target.name} (${target.url})`);
      const suiteRun = await runSuite(supervisor, {
        target: target.name,
        url: target.url,
        revision,
        outputDir: join(options.resultsDir, `${target.name}-${revision}`),
        timeoutMs: options.suiteTimeoutMs,
        cwd: options.resultsDir,
      });
      log(
        `  ${suiteRun.scenarios.filter((result) => result.failed === 0).length}/${suiteRun.scenarios.length} ` +
          `scenarios passed in ${Math.round((suiteRun.durationMs ?? 0) / 1000)} s` +
          (suiteRun.timedOut ? ' (stopped: timed out)' : ''),
      );
      runs.push(suiteRun);
    }
  }
  return runs;
}

/** Prints the Markdown report, writes it (and the JSON document if asked) and judges the runs. */
function report(options: RunOptions, targets: Targets, runs: SuiteRun[]): Verdict {
  const requirements = {
    '2025-11-25': loadRequirements('2025-11-25'),
    '2026-07-28': loadRequirements('2026-07-28'),
  };
  const verdict = judge(runs, requirements, directTarget);
  const markdown = [
    '## MCP conformance',
    '',
    renderTable(runs, requirements),
    '',
    'Cells: passed/scored checks of the scenario (⚠n: warnings); "·" not run at that revision.',
    '',
    '### Failing checks',
    '',
    renderFailures(runs, requirements) || 'none',
    '',
  ].join('\n');
  process.stdout.write(`\n${markdown}\n`);
  writeFileSync(join(options.resultsDir, 'report.md'), markdown);
  if (options.json) {
    const document = {
      generatedAt: new Date().toISOString(),
      node: process.version,
      targets: targets.list,
      runs,
      verdict,
    };
    writeFileSync(options.json, `${JSON.stringify(document, null, 2)}\n`);
  }
  log(`results: ${options.resultsDir}`);
  return verdict;
}

function log(message: string): void {
  process.stderr.write(`[conformance] ${message}\n`);
}

async function main(): Promise<number> {
  let options: RunOptions;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    log((error as Error).message);
    return 2;
  }
  const supervisor = new ChildProcessSupervisor();
  const interrupt = () => {
    void supervisor.stopAll().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  try {
    const verdict = await run(options, supervisor);
    if (verdict.fixtureFailures.length > 0) {
      log(`the fixture fails required scenarios:\n  ${verdict.fixtureFailures.join('\n  ')}`);
    }
    if (verdict.regressions.length > 0) {
      log(
        `required scenarios that pass directly but not through a target:\n  ${verdict.regressions.join('\n  ')}`,
      );
    }
    if (verdict.notScoredRegressions.length > 0) {
      log(
        `not scored, passing directly but not through a target (reported, not failing):\n  ${verdict.notScoredRegressions.join('\n  ')}`,
      );
    }
    return verdict.fixtureFailures.length + verdict.regressions.length > 0 ? 1 : 0;
  } catch (error) {
    log(`could not run the suite: ${(error as Error).message}`);
    return 2;
  } finally {
    await supervisor.stopAll();
  }
}

void main().then((code) => process.exit(code));
