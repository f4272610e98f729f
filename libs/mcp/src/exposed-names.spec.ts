import { exposedName, maxExposedNameLength } from './exposed-names';

describe('exposedName', () => {
  it('keeps the upstream name when a single server is exposed', () => {
    expect(exposedName('everything', 'echo', false)).toBe('echo');
  });

  it('prefixes with the server name when several servers are exposed', () => {
    expect(exposedName('everything', 'echo', true)).toBe('everything_echo');
  });

  it('replaces characters outside [A-Za-z0-9_-]', () => {
    expect(exposedName('files', 'read.file/v2', true)).toBe('files_read_file_v2');
  });

  it('cuts long names to 64 characters with a hash that keeps distinct names distinct', () => {
    const long = 'x'.repeat(70);
    const first = exposedName('server', `${long}a`, true);
    const second = exposedName('server', `${long}b`, true);
    expect(first).toHaveLength(maxExposedNameLength);
    expect(second).toHaveLength(maxExposedNameLength);
    expect(first).not.toBe(second);
    expect(first).toMatch(/^[A-Za-z0-9_-]+$/);
  });
});
