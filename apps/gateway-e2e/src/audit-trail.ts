/** One record of the audit trail as GET /api/v1/audit/events shows it. */
export interface AuditRecordView {
  readonly kind: string;
  readonly eventId: string;
  readonly method: string | null;
  readonly outcome: string | null;
  readonly server: string | null;
  readonly target: string | null;
  readonly sessionId: string | null;
  readonly traceId: string | null;
  readonly chain: string;
  readonly seq: number;
  /** The event as the audit service received it. */
  readonly event: Record<string, unknown>;
}

export interface VerifyReport {
  readonly ok: boolean;
  readonly records: number;
  readonly brokenLink: { chain: string; seq: number; eventId: string | null; reason: string } | null;
}

/** The audit service's query and verify API, as an operator would call it. */
export class AuditTrail {
  /** `headers` carry an admin credential: the audit API is admin-only. */
  constructor(
    private readonly baseUrl: string,
    private readonly headers: Readonly<Record<string, string>>,
  ) {}

  /** Every record matching the filters, following the cursor through all pages. */
  async events(filters: Record<string, string>): Promise<AuditRecordView[]> {
    const records: AuditRecordView[] = [];
    let cursor: string | undefined;
    do {
      const query = new URLSearchParams({ ...filters, limit: '500', ...(cursor ? { cursor } : {}) });
      const response = await fetch(`${this.baseUrl}/api/v1/audit/events?${query}`, {
        headers: this.headers,
      });
      if (response.status !== 200)
        throw new Error(`audit events: ${response.status} ${await response.text()}`);
      const page = (await response.json()) as { events: AuditRecordView[]; nextCursor: string | null };
      records.push(...page.events);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return records;
  }

  async verify(): Promise<VerifyReport> {
    const response = await fetch(`${this.baseUrl}/api/v1/audit/verify`, { headers: this.headers });
    if (response.status !== 200) throw new Error(`audit verify: ${response.status} ${await response.text()}`);
    return (await response.json()) as VerifyReport;
  }
}
