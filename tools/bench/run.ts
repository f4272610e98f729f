import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ChildProcessSupervisor, repositoryRoot } from '@gateway/testing';
import { type BenchReport, markdownReport, type ScenarioResult, type TopologyName } from './bench-report';
import { writeBenchGatewayConfig } from './bench-gateway.config';
import { type BenchUpstreams, startBenchUpstreams } from './bench-upstreams';
import {
  type GatewayTopology,
  startDistributed,
  startEmbeddedTopology,
  type TopologyOptions,
} from './gateway-topology';
import { scenarioNames, scenarioPlan } from './scenario-plan';
import type { ScenarioContext } from './scenario-context';

const usage = `npm run bench -- [options]

  --quick              every scenario briefly (what CI runs: proves the harness, no thresholds)
  --json FILE          write the results as JSON (metadata + one object per scenario and topology)
  --topology T         embedded | distributed | all (default all)
  --scenario A,B       some of: ${scenarioNames.join(', ')} (default all)
  --cpu-prof DIR       run the gateway's processes with --cpu-prof, profiles into DIR
  --duration-ms N      measured time per scenario and side (default 10000; quick 1000)
  --warmup-ms N        warm-up before each measured phase (default 1000; quick 200)
  --rounds N           alternating direct/gateway rounds (default 2; quick 1)
  --idle-sessions N    sessions the sessions scenario holds open (default 5000; quick 200)
`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      json: { type: 'string' },
      topology: { type: 'string', default: 'all' },
      scenario: { type: 'string' },
      'cpu-prof': { type: 'string' },
      'duration-ms': { type: 'string' },
      'warmup-ms': { type: 'string' },
      rounds: { type: 'string' },
      'idle-sessions': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(usage);
    return 0;
  }
  const quick = values.quick;
  const timing = {
    warmupMs: positive('--warmup-ms', values['warmup-ms'], quick ? 200 : 1000),
    durationMs: positive('--duration-ms', values['duration-ms'], quick ? 1000 : 10_000),
  };
  const rounds = positive('--rounds', values.rounds, quick ? 1 : 2);
  const idleSessions = positive('--idle-sessions', values['idle-sessions'], quick ? 200 : 5000);
  const topologies = topologiesOf(values.topology);
  const scenarios = scenariosOf(values.scenario);
  const profileDir = values['cpu-prof'];

  const startedAt = new Date();
  const runDir = join(repositoryRoot, '.data', 'bench', startedAt.toISOString().replace(/[:.]/g, '-'));
  mkdirSync(runDir, { recursive: true });
  if (topologies.includes('distributed')) {
    progress('starting Kafka and Postgres (infra/local/up.sh)');
    execFileSync('bash', ['infra/local/up.sh'], { cwd: repositoryRoot, stdio: ['ignore', 2, 2] });
  }
  const supervisor = new ChildProcessSupervisor();
  const results: ScenarioResult[] = [];
  let upstreams: BenchUpstreams | undefined;
  try {
    upstreams = await startBenchUpstreams(supervisor, runDir);
    const configFile = join(runDir, 'gateway.yaml');
    const upstreamNames = writeBenchGatewayConfig(configFile, upstreams);
    for (const topologyName of topologies) {
      const options: TopologyOptions = {
        runDir,
        configFile,
        upstreams: upstreamNames,
        nodeArgs: (name) =>
          profileDir ? ['--cpu-prof', `--cpu-prof-dir=${join(profileDir, `${topologyName}-${name}`)}`] : [],
      };
      progress(`${topologyName}: starting the gateway`);
      const topology: GatewayTopology =
        topologyName === 'embedded' ? await startEmbeddedTopology(options) : await startDistributed(options);
      try {
        const context: ScenarioContext = { topology, upstreams, timing, rounds, idleSessions };
        for (const step of scenarioPlan.filter((planned) => scenarios.includes(planned.scenario))) {
          progress(`${topologyName}: ${step.label}`);
          results.push(await step.run(context));
        }
      } finally {
        await topology.stop();
      }
    }
  } finally {
    await upstreams?.stop();
    await supervisor.stopAll();
  }

  const report: BenchReport = {
    metadata: {
      commit: commit(),
      node: process.version,
      cpus: cpus().length,
      cpu_model: cpus()[0]?.model ?? 'unknown',
      load_generator: 'tools/bench (undici keep-alive pool, closed loop, one process)',
      quick,
      phase_warmup_ms: timing.warmupMs,
      phase_duration_ms: timing.durationMs,
      rounds,
      started_at: startedAt.toISOString(),
      duration_s: Math.round((Date.now() - startedAt.getTime()) / 1000),
    },
    results,
  };
  process.stdout.write(markdownReport(report));
  if (values.json) writeFileSync(values.json, `${JSON.stringify(report, null, 2)}\n`);
  return reportErrors(results);
}

/** Errors make the run fail: a figure measured over failing answers means nothing. */
function reportErrors(results: readonly ScenarioResult[]): number {
  const failing = results.filter((result) => result.direct.errors > 0 || result.gateway.errors > 0);
  for (const result of failing) {
    for (const side of ['direct', 'gateway'] as const) {
      const figures = result[side];
      if (figures.errors === 0) continue;
      process.stderr.write(
        `${result.topology} ${result.name}${result.variant ? ` (${result.variant})` : ''} ${side}: ` +
          `${figures.errors} errors, e.g. ${(figures.error_samples ?? []).join(' | ')}\n`,
      );
    }
  }
  return failing.length > 0 ? 1 : 0;
}

function topologiesOf(value: string): TopologyName[] {
  if (value === 'all') return ['embedded', 'distributed'];
  if (value === 'embedded' || value === 'distributed') return [value];
  throw new Error(`--topology: expected embedded, distributed or all, got "${value}"`);
}

function scenariosOf(value: string | undefined): string[] {
  if (value === undefined) return [...scenarioNames];
  const chosen = value.split(',').map((name) => name.trim());
  const unknown = chosen.filter((name) => !scenarioNames.includes(name));
  if (unknown.length > 0)
    throw new Error(`--scenario: unknown ${unknown.join(', ')}; expected ${scenarioNames.join(', ')}`);
  return chosen;
}

function positive(option: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${option}: expected a positive integer, got "${text}"`);
  return value;
}

function commit(): string {
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: repositoryRoot, encoding: 'utf8' }).trim();
  try {
    return `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain') === '' ? '' : '-dirty'}`;
  } catch {
    return 'unknown';
  }
}

function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
