import { exposedName, exposedNames, exposedPromptName, maxExposedNameLength } from './exposed-names';

const alphabet = /^[A-Za-z0-9_-]+$/;

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
    expect(first).toMatch(alphabet);
  });

  it('keeps a name of exactly 64 characters as it is', () => {
    const name = 'y'.repeat(maxExposedNameLength);
    expect(exposedName('server', name, false)).toBe(name);
  });

  it('names prompts by the same rules', () => {
    expect(exposedPromptName('docs', 'summarize:v1', true)).toBe('docs_summarize_v1');
  });
});

describe('exposedNames', () => {
  it('gives the derived name to every claim that meets no other', () => {
    const names = exposedNames(
      [
        { server: 'alpha', name: 'search' },
        { server: 'beta', name: 'search' },
      ],
      true,
    );
    expect(names).toEqual(['alpha_search', 'beta_search']);
  });

  it('lets the verbatim name keep it and suffixes the one that only sanitizes to it', () => {
    const [verbatim, sanitized] = exposedNames(
      [
        { server: 'files', name: 'read_file' },
        { server: 'files', name: 'read.file' },
      ],
      false,
    );
    expect(verbatim).toBe('read_file');
    expect(sanitized).toMatch(/^read_file_[0-9a-f]{8}$/);
  });

  it('suffixes every claim when none is the name verbatim', () => {
    const names = exposedNames(
      [
        { server: 'files', name: 'read.file' },
        { server: 'files', name: 'read/file' },
      ],
      false,
    );
    expect(new Set(names).size).toBe(2);
    for (const name of names) expect(name).toMatch(/^read_file_[0-9a-f]{8}$/);
  });

  it('keeps apart a server prefix and a name that join to the same text', () => {
    // "a" + "b_c" and "a_b" + "c" both read "a_b_c" verbatim: neither may take it from the other.
    const names = exposedNames(
      [
        { server: 'a', name: 'b_c' },
        { server: 'a_b', name: 'c' },
      ],
      true,
    );
    expect(new Set(names).size).toBe(2);
    expect(names).not.toContain('a_b_c');
  });

  it('keeps apart long names that are cut to the same text', () => {
    const long = 'z'.repeat(80);
    const names = exposedNames(
      [
        { server: 'files', name: `${long}.1` },
        { server: 'files', name: `${long}_1` },
      ],
      false,
    );
    expect(new Set(names).size).toBe(2);
    for (const name of names) {
      expect(name.length).toBeLessThanOrEqual(maxExposedNameLength);
      expect(name).toMatch(alphabet);
    }
  });

  it('names the same set the same way whatever its order', () => {
    const claims = [
      { server: 'files', name: 'read.file' },
      { server: 'files', name: 'read/file' },
      { server: 'files', name: 'read_file' },
      { server: 'files', name: 'write' },
    ];
    const forward = exposedNames(claims, false);
    const backward = exposedNames([...claims].reverse(), false).reverse();
    expect(backward).toEqual(forward);
    expect(new Set(forward).size).toBe(claims.length);
  });

  it('exposes an alias unprefixed and sanitized', () => {
    expect(exposedNames([{ server: 'alpha', name: 'search', alias: 'find it' }], true)).toEqual(['find_it']);
  });

  it('lets an alias take a name another item would derive', () => {
    const [derived, aliased] = exposedNames(
      [
        { server: 'alpha', name: 'find' },
        { server: 'alpha', name: 'search', alias: 'find' },
      ],
      false,
    );
    expect(aliased).toBe('find');
    expect(derived).toMatch(/^find_[0-9a-f]{8}$/);
  });

  it('treats an empty alias as none', () => {
    expect(exposedNames([{ server: 'alpha', name: 'search', alias: '' }], true)).toEqual(['alpha_search']);
  });

  it('suffixes both of two equal aliases', () => {
    const names = exposedNames(
      [
        { server: 'alpha', name: 'search', alias: 'find' },
        { server: 'beta', name: 'lookup', alias: 'find' },
      ],
      true,
    );
    expect(new Set(names).size).toBe(2);
    expect(names).not.toContain('find');
  });

  it('names the same item exposed twice twice', () => {
    const names = exposedNames(
      [
        { server: 'alpha', name: 'search' },
        { server: 'alpha', name: 'search' },
      ],
      false,
    );
    expect(new Set(names).size).toBe(2);
  });
});
