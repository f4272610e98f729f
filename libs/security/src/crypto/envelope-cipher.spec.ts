import { randomBytes } from 'node:crypto';
import { EnvelopeCipher, EnvelopeDecryptionError } from './envelope-cipher';

describe('EnvelopeCipher', () => {
  const master = randomBytes(32);

  it('opens what it sealed, for the same context only', () => {
    const cipher = new EnvelopeCipher(master);
    const sealed = cipher.encrypt('sk-upstream-secret', 'server-credential:everything');
    expect(sealed).not.toContain('sk-upstream-secret');
    expect(cipher.decrypt(sealed, 'server-credential:everything')).toBe('sk-upstream-secret');
    expect(() => cipher.decrypt(sealed, 'server-credential:other')).toThrow(EnvelopeDecryptionError);
  });

  it('seals the same text differently each time (a fresh data key and IV)', () => {
    const cipher = new EnvelopeCipher(master);
    expect(cipher.encrypt('x', 'c')).not.toBe(cipher.encrypt('x', 'c'));
  });

  it('refuses altered text', () => {
    const cipher = new EnvelopeCipher(master);
    const parts = cipher.encrypt('secret', 'c').split('.');
    const body = Buffer.from(parts[3]!, 'base64url');
    body[body.length - 1] ^= 1;
    parts[3] = body.toString('base64url');
    expect(() => cipher.decrypt(parts.join('.'), 'c')).toThrow(/authentication failed/);
  });

  it('opens values of a previous master key and says they need resealing', () => {
    const old = new EnvelopeCipher(master);
    const sealed = old.encrypt('secret', 'c');
    const rotated = new EnvelopeCipher(randomBytes(32), [master]);
    expect(rotated.decrypt(sealed, 'c')).toBe('secret');
    expect(rotated.needsResealing(sealed)).toBe(true);
    expect(rotated.needsResealing(rotated.encrypt('secret', 'c'))).toBe(false);
    expect(() => new EnvelopeCipher(randomBytes(32)).decrypt(sealed, 'c')).toThrow(/not configured/);
  });
});
