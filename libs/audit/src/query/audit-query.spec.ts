import {
  encodeCursor,
  eventsQuerySchema,
  exportQuerySchema,
  InvalidQueryError,
  parseQuery,
} from './audit-query';

function problems(raw: Record<string, unknown>): readonly string[] {
  try {
    parseQuery(eventsQuerySchema, raw);
  } catch (error) {
    if (error instanceof InvalidQueryError) return error.problems;
    throw error;
  }
  throw new Error('expected the query to be refused');
}

describe('audit query parameters', () => {
  it('defaults limit to 100 and turns times into dates', () => {
    expect(parseQuery(eventsQuerySchema, { from: '2026-11-21T10:00:00+02:00' })).toEqual({
      limit: 100,
      from: new Date('2026-11-21T08:00:00.000Z'),
    });
  });

  it('gives back the position a cursor was made from', () => {
    const position = { occurredAt: new Date('2026-11-21T10:15:30.123Z'), eventId: crypto.randomUUID() };
    const cursor = encodeCursor(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(parseQuery(eventsQuerySchema, { cursor }).cursor).toEqual(position);
  });

  it('names every bad parameter', () => {
    expect([...problems({ limit: '5000', kind: 'other', surprise: '1' })].sort()).toEqual([
      'kind: expected one of call, security, admin',
      'limit: expected a whole number from 1 to 1000',
      'surprise: unknown parameter',
    ]);
  });

  it('refuses a cursor it did not make', () => {
    const forged = Buffer.from(JSON.stringify({ t: 'yesterday', e: 'x' })).toString('base64url');
    expect(problems({ cursor: forged })).toEqual([
      'cursor: not a cursor returned by this API (use nextCursor as is)',
    ]);
  });

  it('refuses an empty time range', () => {
    expect(problems({ from: '2026-11-21T00:00:00Z', to: '2026-11-21T00:00:00Z' })).toEqual([
      'from: must be earlier than to',
    ]);
  });

  it('exports NDJSON unless CSV is asked for, and takes no page parameters', () => {
    expect(parseQuery(exportQuerySchema, {})).toEqual({ format: 'ndjson' });
    expect(() => parseQuery(exportQuerySchema, { limit: '10' })).toThrow('limit: unknown parameter');
  });
});
