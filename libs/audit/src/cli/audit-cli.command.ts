import { parseArgs } from 'node:util';
import { ConfigError, type Database, envFields, loadEnvConfig } from '@gateway/platform';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { AuditChainRepository } from '../storage/audit-chain.repository';
import { AUDIT_SCHEMA_NAME } from '../storage/audit-storage.tokens';
import { sqlState } from '../storage/sql-error';
import { AuditTables } from '../storage/audit-tables';
import { AuditVerifyService, type VerifyReport } from '../verify/audit-verify.service';

export interface CliOutput {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

export const CliExit = { ok: 0, broken: 1, failed: 2, usage: 64, config: 78 } as const;

const usage = `usage: audit-cli verify [--chain <chain>] [--schema <schema>] [--json]

Walks the audit hash chains in the database at DATABASE_URL and checks every link.
  --chain   only this chain, e.g. tenant:default or admin
  --schema  the audit schema (default ${AUDIT_SCHEMA_NAME})
  --json    print the full report as JSON
Exit status: 0 intact, 1 a broken link (named on stderr), 2 could not verify, 64 bad usage, 78 bad config.`;

/** The audit command line; returns the exit status. Reads the database directly, never migrates it. */
export async function runAuditCli(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  output: CliOutput,
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { chain: { type: 'string' }, schema: { type: 'string' }, json: { type: 'boolean' } },
    });
  } catch (error) {
    output.err(`${(error as Error).message}\n${usage}`);
    return CliExit.usage;
  }
  if (parsed.positionals.length !== 1 || parsed.positionals[0] !== 'verify') {
    output.err(usage);
    return CliExit.usage;
  }
  let url: string;
  try {
    url = loadEnvConfig(z.object({ DATABASE_URL: envFields.postgresUrl() }), env).DATABASE_URL;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    output.err(error.message);
    return CliExit.config;
  }
  const { chain, schema = AUDIT_SCHEMA_NAME, json = false } = parsed.values;
  return verifyCommand({ url, schema, chain, json }, output);
}

async function verifyCommand(
  options: { url: string; schema: string; chain?: string; json: boolean },
  output: CliOutput,
): Promise<number> {
  const dataSource = new DataSource({
    type: 'postgres',
    url: options.url,
    applicationName: 'gateway:audit-cli',
    connectTimeoutMS: 10_000,
    poolSize: 1,
  });
  try {
    await dataSource.initialize();
    const verifier = new AuditVerifyService(
      new AuditChainRepository(connectedDatabase(dataSource), new AuditTables(options.schema)),
    );
    const report = await verifier.verify(options.chain);
    if (options.json) output.out(JSON.stringify(report, null, 2));
    else describe(report, output);
    return report.ok ? CliExit.ok : CliExit.broken;
  } catch (error) {
    const hint =
      sqlState(error) === '42P01'
        ? ` (has the audit service migrated schema "${options.schema}" of this database yet?)`
        : '';
    output.err(`audit verify could not run: ${(error as Error).message}${hint}`);
    return CliExit.failed;
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
  }
}

function describe(report: VerifyReport, output: CliOutput): void {
  for (const chain of report.chainReports) {
    const head = chain.headSeq === null ? 'no head' : `head seq ${chain.headSeq} ${chain.headHash}`;
    const anchor = chain.anchoredAt > 0 ? `, from checkpoint seq ${chain.anchoredAt}` : '';
    output.out(
      `${chain.ok ? 'ok    ' : 'BROKEN'} ${chain.chain}: ${chain.records} records${anchor}, ${head}`,
    );
  }
  output.out(`${plural(report.chains, 'chain')}, ${plural(report.records, 'record')} verified`);
  const broken = report.brokenLink;
  if (broken) {
    const event = broken.eventId ? ` (event ${broken.eventId})` : '';
    output.err(
      `broken link in chain ${broken.chain} at seq ${broken.seq}${event}: ${broken.kind}: ${broken.reason}`,
    );
  }
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** The Database port over a data source that is already connected (no background start, no migrations). */
function connectedDatabase(dataSource: DataSource): Database {
  return {
    start: () => undefined,
    whenReady: () => Promise.resolve(dataSource),
    dataSource: () => dataSource,
    health: () => ({ ready: true, detail: 'connected' }),
    close: () => dataSource.destroy(),
  };
}
