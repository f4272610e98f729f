import { migrationLockKey } from './migration-lock';

describe('migrationLockKey', () => {
  it('is a stable signed 64-bit integer per schema', () => {
    const key = migrationLockKey('registry');
    expect(key).toBe(migrationLockKey('registry'));
    const value = BigInt(key);
    expect(value >= -(2n ** 63n) && value < 2n ** 63n).toBe(true);
  });

  it('differs between schemas', () => {
    const keys = new Set(['registry', 'policy', 'audit', 'auth', 'telemetry'].map(migrationLockKey));
    expect(keys.size).toBe(5);
  });
});
