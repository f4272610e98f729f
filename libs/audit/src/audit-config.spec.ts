import { ConfigError } from '@gateway/platform';
import { loadAuditConfig } from './audit-config';

describe('loadAuditConfig', () => {
  it('keeps 90 days and runs retention hourly by default', () => {
    expect(loadAuditConfig({})).toEqual({ retentionDays: 90, retentionIntervalMs: 3_600_000 });
  });

  it('reads AUDIT_RETENTION_DAYS and AUDIT_RETENTION_INTERVAL_MS', () => {
    expect(loadAuditConfig({ AUDIT_RETENTION_DAYS: '7', AUDIT_RETENTION_INTERVAL_MS: '60000' })).toEqual({
      retentionDays: 7,
      retentionIntervalMs: 60_000,
    });
  });

  it.each(['0', '-3', '1.5', 'ninety'])('refuses AUDIT_RETENTION_DAYS=%s, naming the variable', (value) => {
    expect(() => loadAuditConfig({ AUDIT_RETENTION_DAYS: value })).toThrow(ConfigError);
    expect(() => loadAuditConfig({ AUDIT_RETENTION_DAYS: value })).toThrow(
      /AUDIT_RETENTION_DAYS: expected a whole number of days/,
    );
  });
});
