import { randomBytes } from 'node:crypto';

/** `<prefix>_<24 hex digits>`: opaque ids, global across tenants, safe in a URL path. */
export function newId(prefix: 'usr' | 'agt' | 'team' | 'role' | 'key' | 'cs'): string {
  return `${prefix}_${randomBytes(12).toString('hex')}`;
}
