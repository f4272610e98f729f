import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repositoryRoot } from '@gateway/testing';

/**
 * Where a V8 CPU profile (node --cpu-prof; `npm run bench -- --cpu-prof DIR`) spent its time:
 * self time per function and per package, heaviest first. The same .cpuprofile files open as
 * flame graphs in Chrome DevTools (Performance) or speedscope.
 *
 *   node -r @swc-node/register tools/bench/profile-summary.ts DIR_OR_FILE [--top 25]
 */
interface ProfileNode {
  readonly id: number;
  readonly callFrame: { functionName: string; url: string; lineNumber: number };
  readonly children?: number[];
}

interface CpuProfile {
  readonly nodes: ProfileNode[];
  readonly samples: number[];
  readonly timeDeltas: number[];
  readonly startTime: number;
  readonly endTime: number;
}

export interface ProfileSummary {
  readonly totalMs: number;
  /**
   * Total minus idle is the busy time: sampled wall time, so on a machine with more runnable
   * threads than cores it includes time the thread waited for a core.
   */
  readonly idleMs: number;
  /** Self time of everything but (idle), heaviest first. */
  readonly byFunction: [string, number][];
  readonly byPackage: [string, number][];
}

export function summarize(profile: CpuProfile): ProfileSummary {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMicros = new Map<number, number>();
  profile.samples.forEach((id, index) => {
    selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0));
  });
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let idleMs = 0;
  for (const [id, micros] of selfMicros) {
    const frame = nodes.get(id)?.callFrame;
    if (!frame) continue;
    const ms = micros / 1000;
    if (frame.functionName === '(idle)') {
      idleMs += ms;
      continue;
    }
    const where = frame.url ? `${shortUrl(frame.url)}:${frame.lineNumber + 1}` : '';
    const name = `${frame.functionName || '(anonymous)'} ${where}`.trim();
    byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
    const pkg = packageOf(frame.url, frame.functionName);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + ms);
  }
  const sorted = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]);
  return {
    totalMs: (profile.endTime - profile.startTime) / 1000,
    idleMs,
    byFunction: sorted(byFunction),
    byPackage: sorted(byPackage),
  };
}

function shortUrl(url: string): string {
  const path = url.replace(/^file:\/\//, '');
  return path.startsWith(repositoryRoot) ? relative(repositoryRoot, path) : path;
}

/** node_modules/<package>, the project's lib or app, node: internals, or V8's own buckets. */
export function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const path = shortUrl(url);
  const module = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (module) return module[1]!;
  if (path.startsWith('node:')) return 'node: internals';
  const own = /^(?:dist\/)?((?:libs|apps)\/[^/]+)/.exec(path);
  return own ? own[1]! : path;
}

function profilesIn(target: string): string[] {
  if (!statSync(target).isDirectory()) return [target];
  return readdirSync(target, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.cpuprofile'))
    .map((name) => join(target, name));
}

function main(): void {
  const [target, ...rest] = process.argv.slice(2);
  if (!target) throw new Error('usage: profile-summary.ts DIR_OR_FILE [--top N]');
  const top = rest[0] === '--top' ? Number(rest[1]) : 25;
  for (const file of profilesIn(target)) {
    const summary = summarize(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile);
    const busy = summary.totalMs - summary.idleMs;
    const line = ([name, ms]: [string, number]) =>
      `  ${ms.toFixed(0).padStart(7)} ms  ${((ms / Math.max(1, busy)) * 100).toFixed(1).padStart(5)}%  ${name}`;
    process.stdout.write(
      `\n${file}\n  ${summary.totalMs.toFixed(0)} ms profiled, ${busy.toFixed(0)} ms busy\n` +
        `by package (self time, share of busy):\n${summary.byPackage.slice(0, top).map(line).join('\n')}\n` +
        `by function:\n${summary.byFunction.slice(0, top).map(line).join('\n')}\n`,
    );
  }
}

if (require.main === module) main();
