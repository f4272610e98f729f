import type { ToolFinding, ToolPinValue } from '@gateway/contracts';
import {
  alertReason,
  approvedPin,
  decidePin,
  type ObservedDefinition,
  quarantinedPin,
} from './tool-pin.decision';

const now = new Date('2026-11-21T10:00:00.000Z');
const finding: ToolFinding = {
  kind: 'hidden-instructions',
  path: 'description',
  detail: 'an instruction tag',
};

const observed = (fingerprint: string, findings: ToolFinding[] = []): ObservedDefinition => ({
  serverId: 'github',
  tool: 'create_issue',
  fingerprint,
  findings,
});

const pin = (fields: Partial<ToolPinValue>): ToolPinValue => ({
  serverId: 'github',
  tool: 'create_issue',
  status: 'approved',
  approvedFingerprint: 'a',
  observedFingerprint: 'a',
  findings: [],
  decidedBy: 'scan',
  decidedAt: '2026-11-20T10:00:00.000Z',
  ...fields,
});

describe('decidePin with the review enforced', () => {
  it('trusts a clean unknown tool on first use, and quarantines a flagged one', () => {
    expect(decidePin(undefined, observed('a'), 'enforce', now)).toEqual({
      change: 'pinned',
      pin: pin({ decidedAt: now.toISOString() }),
    });
    expect(decidePin(undefined, observed('a', [finding]), 'enforce', now)).toEqual({
      change: 'pinned',
      pin: {
        serverId: 'github',
        tool: 'create_issue',
        status: 'quarantined',
        observedFingerprint: 'a',
        findings: [finding],
        decidedBy: 'scan',
        decidedAt: now.toISOString(),
      },
      alert: 'quarantined',
    });
  });

  it('decides nothing for the definition the pin last saw, whatever its status', () => {
    for (const status of ['approved', 'quarantined', 'held'] as const) {
      expect(decidePin(pin({ status, observedFingerprint: 'b' }), observed('b'), 'enforce', now)).toEqual({
        change: 'none',
      });
    }
  });

  it('holds a changed definition, keeping the approved fingerprint', () => {
    expect(decidePin(pin({}), observed('b'), 'enforce', now)).toEqual({
      change: 'pinned',
      pin: pin({ status: 'held', observedFingerprint: 'b', decidedAt: now.toISOString() }),
      alert: 'held',
    });
  });

  it('quarantines a changed definition the scan flags', () => {
    const decision = decidePin(pin({}), observed('b', [finding]), 'enforce', now);
    expect(decision).toMatchObject({
      change: 'pinned',
      pin: { status: 'quarantined', approvedFingerprint: 'a', observedFingerprint: 'b', findings: [finding] },
      alert: 'quarantined',
    });
  });

  it('approves again a definition back to exactly the approved one', () => {
    const held = pin({ status: 'held', observedFingerprint: 'b' });
    expect(decidePin(held, observed('a'), 'enforce', now)).toEqual({
      change: 'pinned',
      pin: pin({ decidedAt: now.toISOString() }),
    });
  });

  it('holds a clean new definition of a tool that was never approved', () => {
    const quarantined = pin({ status: 'quarantined', approvedFingerprint: undefined, findings: [finding] });
    expect(decidePin(quarantined, observed('b'), 'enforce', now)).toMatchObject({
      change: 'pinned',
      pin: { status: 'held', observedFingerprint: 'b', findings: [] },
      alert: 'held',
    });
  });
});

describe('decidePin with the review off', () => {
  it('approves every new or changed definition, findings kept, and leaves approved ones be', () => {
    expect(decidePin(undefined, observed('a', [finding]), 'off', now)).toEqual({
      change: 'pinned',
      pin: pin({ findings: [finding], decidedAt: now.toISOString() }),
    });
    expect(
      decidePin(pin({ status: 'held', observedFingerprint: 'b' }), observed('b'), 'off', now),
    ).toMatchObject({
      change: 'pinned',
      pin: { status: 'approved', approvedFingerprint: 'b' },
    });
    expect(decidePin(pin({}), observed('a'), 'off', now)).toEqual({ change: 'none' });
  });
});

describe('admin decisions', () => {
  it('approve takes the observed fingerprint; quarantine revokes the approval', () => {
    const held = pin({ status: 'held', observedFingerprint: 'b' });
    expect(approvedPin(held, 'user:alice', now)).toEqual(
      pin({
        approvedFingerprint: 'b',
        observedFingerprint: 'b',
        decidedBy: 'user:alice',
        decidedAt: now.toISOString(),
      }),
    );
    const quarantined = quarantinedPin(pin({}), 'user:alice', now);
    expect(quarantined).toEqual({
      serverId: 'github',
      tool: 'create_issue',
      status: 'quarantined',
      observedFingerprint: 'a',
      findings: [],
      decidedBy: 'user:alice',
      decidedAt: now.toISOString(),
    });
    expect(decidePin(quarantined, observed('b'), 'enforce', now)).toMatchObject({ pin: { status: 'held' } });
  });

  it('says in the alert what the scan found', () => {
    const quarantined = pin({ status: 'quarantined', findings: [finding] });
    expect(alertReason(quarantined, 'quarantined')).toBe(
      'tool "create_issue" quarantined: the scan of its definition found 1 problem(s); ' +
        'hidden-instructions at description: an instruction tag',
    );
    expect(alertReason(pin({ status: 'held' }), 'held')).toBe(
      'tool "create_issue" held: its definition changed since it was approved and waits for an admin',
    );
  });
});
