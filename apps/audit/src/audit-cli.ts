// `node dist/apps/audit/src/audit-cli.js verify [--chain <chain>]`: proves the audit hash chains.
import { runAuditCli } from '@gateway/audit';

runAuditCli(process.argv.slice(2), process.env, {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
}).then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    process.stderr.write(
      `audit-cli failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 2;
  },
);
