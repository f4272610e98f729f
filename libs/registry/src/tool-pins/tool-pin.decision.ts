import type { ToolFinding, ToolPinValue } from '@gateway/contracts';

/** enforce: new tools are trusted on first use unless the scan flags them, changes wait for an admin. */
export type ToolReviewMode = 'enforce' | 'off';

/** "scan" decided it, as the contract names automatic decisions. */
export const scanActor = 'scan';

export interface ObservedDefinition {
  readonly serverId: string;
  readonly tool: string;
  readonly fingerprint: string;
  readonly findings: readonly ToolFinding[];
}

/** What the review does with a reported definition: nothing, or the pin to store and publish. */
export type PinDecision =
  | { readonly change: 'none' }
  | { readonly change: 'pinned'; readonly pin: ToolPinValue; readonly alert?: 'quarantined' | 'held' };

function pinOf(
  observed: ObservedDefinition,
  status: ToolPinValue['status'],
  approvedFingerprint: string | undefined,
  decidedAt: Date,
): ToolPinValue {
  return {
    serverId: observed.serverId,
    tool: observed.tool,
    status,
    ...(approvedFingerprint !== undefined && { approvedFingerprint }),
    observedFingerprint: observed.fingerprint,
    findings: [...observed.findings],
    decidedBy: scanActor,
    decidedAt: decidedAt.toISOString(),
  };
}

/**
 * The review of one definition an upstream lists (MCP "rug pull": a tool approved once may be
 * redefined later, so approval is of a fingerprint, not a name):
 * - unknown tool: approved on first use, unless the scan found poisoning: quarantined;
 * - the definition the pin last saw: nothing to decide;
 * - a changed definition with findings: quarantined;
 * - back to exactly the approved definition, clean: approved again;
 * - any other change: held until an admin approves it.
 * With the review off every definition is approved as it is, its findings kept for the record.
 */
export function decidePin(
  current: ToolPinValue | undefined,
  observed: ObservedDefinition,
  mode: ToolReviewMode,
  now: Date,
): PinDecision {
  const flagged = observed.findings.length > 0;
  if (mode === 'off') {
    const approvedAlready =
      current?.status === 'approved' &&
      current.approvedFingerprint === observed.fingerprint &&
      current.observedFingerprint === observed.fingerprint;
    if (approvedAlready) return { change: 'none' };
    return { change: 'pinned', pin: pinOf(observed, 'approved', observed.fingerprint, now) };
  }
  if (!current) {
    return flagged
      ? { change: 'pinned', pin: pinOf(observed, 'quarantined', undefined, now), alert: 'quarantined' }
      : { change: 'pinned', pin: pinOf(observed, 'approved', observed.fingerprint, now) };
  }
  if (current.observedFingerprint === observed.fingerprint) return { change: 'none' };
  const approved = current.approvedFingerprint;
  if (flagged) {
    return { change: 'pinned', pin: pinOf(observed, 'quarantined', approved, now), alert: 'quarantined' };
  }
  if (approved === observed.fingerprint) {
    return { change: 'pinned', pin: pinOf(observed, 'approved', approved, now) };
  }
  return { change: 'pinned', pin: pinOf(observed, 'held', approved, now), alert: 'held' };
}

/** An admin approves the definition the pin last saw. */
export function approvedPin(current: ToolPinValue, actor: string, now: Date): ToolPinValue {
  return {
    ...current,
    status: 'approved',
    approvedFingerprint: current.observedFingerprint,
    decidedBy: actor,
    decidedAt: now.toISOString(),
  };
}

/** An admin quarantines a tool; the earlier approval goes, so no revert to it passes on its own. */
export function quarantinedPin(current: ToolPinValue, actor: string, now: Date): ToolPinValue {
  const pin: ToolPinValue = {
    ...current,
    status: 'quarantined',
    decidedBy: actor,
    decidedAt: now.toISOString(),
  };
  delete pin.approvedFingerprint;
  return pin;
}

/** The reason of the SecurityEvent for an automatic quarantine or hold. */
export function alertReason(pin: ToolPinValue, alert: 'quarantined' | 'held'): string {
  const findings = pin.findings.map((finding) => `${finding.kind} at ${finding.path}: ${finding.detail}`);
  const what =
    alert === 'quarantined'
      ? `tool "${pin.tool}" quarantined: the scan of its definition found ${findings.length} problem(s)`
      : `tool "${pin.tool}" held: its definition changed since it was approved and waits for an admin`;
  return [what, ...findings].join('; ');
}
