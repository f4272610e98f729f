const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * The path of a child in a JSON value, as people write it: `content[0].text`,
 * `inputSchema.properties.path.description`; a key that is not an identifier is quoted.
 */
export function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  if (identifier.test(key)) return path === '' ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}
