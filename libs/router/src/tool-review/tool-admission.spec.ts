import type { ToolPinValue } from '@gateway/contracts';
import { isAdmitted, needsReport, refusalOf } from './tool-admission';

const pin = (fields: Partial<ToolPinValue>): ToolPinValue => ({
  serverId: 'github',
  tool: 'create_issue',
  status: 'approved',
  approvedFingerprint: 'a',
  observedFingerprint: 'a',
  findings: [],
  decidedBy: 'scan',
  decidedAt: '2026-11-21T10:00:00.000Z',
  ...fields,
});
const label = 'tool "create_issue" of server "github"';

describe('tool admission', () => {
  it('admits an approval of exactly the definition, or a clean tool without a pin', () => {
    expect(isAdmitted(pin({}), { fingerprint: 'a', flagged: false })).toBe(true);
    expect(isAdmitted(pin({}), { fingerprint: 'b', flagged: false })).toBe(false);
    expect(
      isAdmitted(pin({ status: 'held', observedFingerprint: 'b' }), { fingerprint: 'a', flagged: false }),
    ).toBe(false);
    expect(isAdmitted(pin({ status: 'quarantined' }), { fingerprint: 'a', flagged: false })).toBe(false);
    expect(isAdmitted(undefined, { fingerprint: 'a', flagged: false })).toBe(true);
    expect(isAdmitted(undefined, { fingerprint: 'a', flagged: true })).toBe(false);
  });

  it('reports what the registry has not seen: no pin, or another definition than the pin saw', () => {
    expect(needsReport(undefined, 'a')).toBe(true);
    expect(needsReport(pin({}), 'a')).toBe(false);
    expect(needsReport(pin({}), 'b')).toBe(true);
    expect(needsReport(pin({ status: 'held', observedFingerprint: 'b' }), 'b')).toBe(false);
    expect(needsReport(pin({ status: 'held', observedFingerprint: 'b' }), 'a')).toBe(true);
  });

  it('refuses calls with a reason an agent can pass on', () => {
    expect(refusalOf(pin({}), { fingerprint: 'a', flagged: false }, label)).toBeUndefined();
    expect(refusalOf(pin({}), undefined, label)).toBeUndefined();
    expect(refusalOf(undefined, undefined, label)).toBeUndefined();
    expect(refusalOf(pin({}), { fingerprint: 'b', flagged: false }, label)).toMatch(
      /is on hold: its definition changed/,
    );
    expect(refusalOf(pin({ status: 'held' }), undefined, label)).toMatch(/is on hold/);
    expect(
      refusalOf(
        pin({
          status: 'quarantined',
          findings: [
            { kind: 'invisible-unicode', path: 'description', detail: 'U+200B' },
            { kind: 'shadowing', path: 'description', detail: 'send_email' },
          ],
        }),
        undefined,
        label,
      ),
    ).toBe(
      'tool "create_issue" of server "github" is quarantined: its definition was flagged as possibly poisoned ' +
        '(invisible unicode, shadowing); it stays blocked until an administrator of the gateway reviews and approves it',
    );
    expect(refusalOf(undefined, { fingerprint: 'a', flagged: true }, label)).toMatch(
      /^tool "create_issue" of server "github" is unavailable/,
    );
  });
});
