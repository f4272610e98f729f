import type { ToolPinValue } from '@gateway/contracts';

/** What this replica last saw of a tool upstream. */
export interface SeenTool {
  readonly fingerprint: string;
  /** The local scan found poisoning (only scanned while the tool has no pin). */
  readonly flagged: boolean;
}

/** Whether agents may see a tool: an approval of exactly this definition, or no pin and a clean scan. */
export function isAdmitted(pin: ToolPinValue | undefined, seen: SeenTool): boolean {
  if (!pin) return !seen.flagged;
  return pin.status === 'approved' && pin.approvedFingerprint === seen.fingerprint;
}

/** Whether the registry must hear of this definition: it has no pin, or the pin saw another one. */
export function needsReport(pin: ToolPinValue | undefined, fingerprint: string): boolean {
  if (!pin) return true;
  if (pin.status === 'approved' && pin.approvedFingerprint === fingerprint) return false;
  return pin.observedFingerprint !== fingerprint;
}

function findingKinds(pin: ToolPinValue): string {
  const kinds = [...new Set(pin.findings.map((finding) => finding.kind.replace(/-/g, ' ')))];
  return kinds.length > 0 ? ` (${kinds.join(', ')})` : '';
}

/**
 * Why a call of the tool is refused, in words an agent can pass on; undefined when it may be
 * called. A tool this replica has not seen listed is judged by its pin alone.
 */
export function refusalOf(
  pin: ToolPinValue | undefined,
  seen: SeenTool | undefined,
  label: string,
): string | undefined {
  const review = 'until an administrator of the gateway reviews and approves it';
  if (!pin) {
    return seen?.flagged
      ? `${label} is unavailable: the gateway's scan found suspicious instructions in its definition; it stays blocked ${review}`
      : undefined;
  }
  switch (pin.status) {
    case 'quarantined':
      return `${label} is quarantined: its definition was flagged as possibly poisoned${findingKinds(pin)}; it stays blocked ${review}`;
    case 'held':
      return `${label} is on hold: its definition changed since it was approved; it stays blocked ${review}`;
    case 'approved':
      return seen && seen.fingerprint !== pin.approvedFingerprint
        ? `${label} is on hold: its definition changed since it was approved; it stays blocked ${review}`
        : undefined;
  }
}
