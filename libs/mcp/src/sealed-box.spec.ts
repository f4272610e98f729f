import { randomBytes } from 'node:crypto';
import { SealedBox } from './sealed-box';
import { newSessionIdentity, openSession, sealSession } from './session-token';

describe('SealedBox', () => {
  const box = new SealedBox(randomBytes(32));
  const claims = {
    sid: newSessionIdentity(),
    pv: '2025-11-25',
    caps: { sampling: {}, elicitation: { form: {} } },
    info: { name: 'agent', version: '1.0.0' },
    iat: 1_795_000_000_000,
  };

  it('opens what it sealed, and the token is visible ASCII without the claims in clear', () => {
    const token = sealSession(box, claims);
    expect(token).toMatch(/^s1\.[A-Za-z0-9_-]+$/);
    expect(token).not.toContain(claims.sid);
    expect(openSession(box, token)).toEqual(claims);
  });

  it('refuses a token with one character changed', () => {
    const token = sealSession(box, claims);
    const position = token.length - 10;
    const altered =
      token.slice(0, position) + (token[position] === 'A' ? 'B' : 'A') + token.slice(position + 1);
    expect(openSession(box, altered)).toBeUndefined();
  });

  it('refuses a token sealed under another key or for another purpose', () => {
    expect(openSession(new SealedBox(randomBytes(32)), sealSession(box, claims))).toBeUndefined();
    const forOtherUse = box.seal('r1', claims);
    expect(openSession(box, `s1${forOtherUse.slice(2)}`)).toBeUndefined();
  });

  it('refuses strings it never issued', () => {
    expect(openSession(box, 'e3b0c442-98fc-1c14-9afb-f4c8996fb924')).toBeUndefined();
    expect(openSession(box, 's1.')).toBeUndefined();
    expect(() => new SealedBox(randomBytes(16))).toThrow(/32 bytes/);
  });
});
