export * from './audit.module';
export * from './audit-config';
export { runAuditCli } from './cli/audit-cli.command';
