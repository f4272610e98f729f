import { z } from 'zod';
import { auditKinds } from '../chain/audit-record';

const text = (what: string) =>
  z
    .string({ error: `expected ${what} once` })
    .min(1, `expected ${what}`)
    .max(512, 'at most 512 characters');

const instant = z.iso
  .datetime({ offset: true, error: 'expected an ISO 8601 date-time, e.g. 2026-11-21T10:00:00Z' })
  .transform((value) => new Date(value));

/** The filters /events and /export share; each maps to one indexed column. */
const filterShape = {
  /** occurred_at >= from */
  from: instant.optional(),
  /** occurred_at < to */
  to: instant.optional(),
  tenant: text('a tenant').optional(),
  /** The principal: agent, user or service account, or the actor of an admin change. */
  agent: text('a principal id').optional(),
  server: text('a server name').optional(),
  /** The target: tool, resource or prompt name, or the changed entity id. */
  tool: text('a tool name').optional(),
  method: text('a method').optional(),
  kind: z.enum(auditKinds, { error: `expected one of ${auditKinds.join(', ')}` }).optional(),
  decision: z.enum(['allow', 'deny'], { error: 'expected allow or deny' }).optional(),
  outcome: text('an outcome').optional(),
  sessionId: text('a session id').optional(),
};

function fromBeforeTo(value: { from?: Date; to?: Date }, context: z.RefinementCtx): void {
  if (value.from && value.to && value.from.getTime() >= value.to.getTime()) {
    context.addIssue({ code: 'custom', path: ['from'], message: 'must be earlier than to' });
  }
}

/** A position in the (occurred_at, event_id) order: the last row of the previous page. */
export interface CursorPosition {
  readonly occurredAt: Date;
  readonly eventId: string;
}

const cursorPayload = z.object({ t: z.iso.datetime(), e: z.uuid() });

/** Opaque to clients: base64url of the last row's sort key. */
export function encodeCursor(position: CursorPosition): string {
  const payload = { t: position.occurredAt.toISOString(), e: position.eventId };
  return Buffer.from(JSON.stringify(payload)).toString('base64url');
}

function decodeCursor(value: string, context: z.RefinementCtx): CursorPosition {
  try {
    const payload = cursorPayload.parse(JSON.parse(Buffer.from(value, 'base64url').toString('utf8')));
    return { occurredAt: new Date(payload.t), eventId: payload.e };
  } catch {
    context.addIssue({ code: 'custom', message: 'not a cursor returned by this API (use nextCursor as is)' });
    return z.NEVER;
  }
}

export const eventsQuerySchema = z
  .strictObject({
    ...filterShape,
    limit: z.coerce
      .number({ error: 'expected a whole number from 1 to 1000' })
      .int('expected a whole number from 1 to 1000')
      .min(1, 'expected a whole number from 1 to 1000')
      .max(1000, 'expected a whole number from 1 to 1000')
      .default(100),
    cursor: z.string().transform(decodeCursor).optional(),
  })
  .superRefine(fromBeforeTo);

export const exportQuerySchema = z
  .strictObject({
    ...filterShape,
    format: z.enum(['ndjson', 'csv'], { error: 'expected ndjson or csv' }).default('ndjson'),
  })
  .superRefine(fromBeforeTo);

export type EventsQuery = z.infer<typeof eventsQuerySchema>;
export type ExportQuery = z.infer<typeof exportQuerySchema>;
export type AuditFilters = Omit<EventsQuery, 'limit' | 'cursor'>;

/** Why a query was refused, one line per parameter, each starting with the parameter's name. */
export class InvalidQueryError extends Error {
  override readonly name = 'InvalidQueryError';

  constructor(readonly problems: readonly string[]) {
    super(problems.join('; '));
  }
}

export function parseQuery<Schema extends z.ZodType>(schema: Schema, raw: unknown): z.infer<Schema> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  throw new InvalidQueryError(
    result.error.issues.map((issue) => {
      if (issue.code === 'unrecognized_keys') return `${issue.keys.join(', ')}: unknown parameter`;
      return `${issue.path.map(String).join('.') || '(query)'}: ${issue.message}`;
    }),
  );
}
