import { join } from 'node:path';
import type { ChildProcessSupervisor, Supervised } from './child-process.supervisor';

export interface StartedFixture {
  readonly url: string;
  readonly process: Supervised;
}

const fixtureMain = 'apps/mcp-fixtures/src/conformance/main.ts';

/** Starts the conformance fixture from source and waits for its "listening URL" line. */
export async function startFixture(
  supervisor: ChildProcessSupervisor,
  options: {
    readonly repositoryRoot: string;
    readonly logDir: string;
    readonly port: number;
    readonly timeoutMs: number;
  },
): Promise<StartedFixture> {
  let announce: (url: string) => void = () => undefined;
  const announced = new Promise<string>((resolve) => (announce = resolve));
  const fixture = supervisor.start(
    'conformance fixture',
    process.execPath,
    ['-r', '@swc-node/register', fixtureMain, '--port', String(options.port)],
    {
      cwd: options.repositoryRoot,
      env: process.env,
      logFile: join(options.logDir, 'fixture.log'),
      onStdoutLine: (line) => {
        const url = /^listening (\S+)$/.exec(line.trim())?.[1];
        if (url) announce(url);
      },
    },
  );
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    announced,
    fixture.exited.then((code) => new Error(`the fixture exited with ${code} before listening`)),
    new Promise<Error>((resolve) => {
      timer = setTimeout(
        () => resolve(new Error(`the fixture did not listen within ${options.timeoutMs} ms`)),
        options.timeoutMs,
      );
    }),
  ]);
  clearTimeout(timer);
  if (outcome instanceof Error) {
    await fixture.stop();
    throw new Error(`${outcome.message} (log: ${fixture.logFile})`);
  }
  return { url: outcome, process: fixture };
}
