import type { RegistryApi, ToolFinding, ToolPinValue } from '@gateway/contracts';

/** A pin as ReportTools returns it, in the contract's shape (proto3 leaves absent strings empty). */
export function fromProtoPin(pin: RegistryApi.ToolPin): ToolPinValue {
  return {
    serverId: pin.serverId,
    tool: pin.tool,
    status: pin.status as ToolPinValue['status'],
    ...(pin.approvedFingerprint ? { approvedFingerprint: pin.approvedFingerprint } : {}),
    observedFingerprint: pin.observedFingerprint,
    findings: (pin.findings ?? []).map((finding) => ({
      kind: finding.kind as ToolFinding['kind'],
      path: finding.path,
      detail: finding.detail,
    })),
    decidedBy: pin.decidedBy,
    decidedAt: pin.decidedAt,
  };
}
