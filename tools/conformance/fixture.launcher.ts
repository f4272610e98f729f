import { join } from 'node:path';
import type { ChildProcessSupervisor, Supervised } from '@gateway/testing';

export interface StartedFixture {
  readonly url: string;
  readonly process: Supervised;
}

const fixtureMain = 'apps/mcp-fixtures/src/conformance/main.ts';

/** Starts the conformance fixture from source and waits for its "listening URL" line. */
export function startFixture(
  supervisor: ChildProcessSupervisor,
  options: {
    readonly repositoryRoot: string;
    readonly logDir: string;
    readonly port: number;
    readonly timeoutMs: number;
  },
): Promise<StartedFixture> {
  return supervisor.startListening(
    'the conformance fixture',
    process.execPath,
    ['-r', '@swc-node/register', fixtureMain, '--port', String(options.port)],
    {
      cwd: options.repositoryRoot,
      env: process.env,
      logFile: join(options.logDir, 'fixture.log'),
      timeoutMs: options.timeoutMs,
    },
  );
}
