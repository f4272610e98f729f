import { createHash } from 'node:crypto';
import { type AuditRecord, GENESIS_HASH } from './audit-record';
import { callEntry } from './audit-entry.mapper';
import { callEvent } from './audit-events.fixture';
import { canonicalRecord, hashRecord, type HashedRecord } from './record-hasher';

function record(overrides: Partial<HashedRecord> = {}): HashedRecord {
  const entry = callEntry(
    callEvent({ eventId: '2f1b7c9e-3f0a-4c5e-9d7b-1a2b3c4d5e6f', occurredAt: '2026-11-21T10:15:30.123Z' }),
  );
  return {
    ...entry,
    seq: 1,
    recordedAt: new Date('2026-11-21T10:15:31.000Z'),
    prevHash: GENESIS_HASH,
    ...overrides,
  };
}

describe('canonicalRecord', () => {
  it('writes RFC 8785 JSON: keys sorted at every level, no whitespace', () => {
    const text = canonicalRecord(record({ event: { b: 1, a: { d: [2, { z: true, y: null }], c: 'x' } } }));
    expect(text).toContain('"event":{"a":{"c":"x","d":[2,{"y":null,"z":true}]},"b":1}');
    const keys = Object.keys(JSON.parse(text) as object);
    expect(keys).toEqual([...keys].sort());
    expect(text).not.toMatch(/\s/);
  });

  it('is the same for an event whose keys came back from jsonb in another order', () => {
    const original = record();
    const reordered = Object.fromEntries(Object.entries(original.event).reverse());
    expect(canonicalRecord({ ...original, event: reordered })).toBe(canonicalRecord(original));
  });

  it('is pinned: the recipe of stored hashes must not drift', () => {
    const expected =
      '{"chain":"tenant:default","decision":"allow","event":{"decision":"allow","eventId":' +
      '"2f1b7c9e-3f0a-4c5e-9d7b-1a2b3c4d5e6f","ingressInstance":"ingress-0","latencyMs":3.2,' +
      '"method":"tools/call","occurredAt":"2026-11-21T10:15:30.123Z","outcome":"ok","principal":' +
      '"agent:build-bot","requestBytes":112,"responseBytes":87,"server":"everything","sessionId":' +
      '"b7d3c0de-0000-4000-8000-000000000001","target":"echo","tenant":"default","traceId":' +
      '"4bf92f3577b34da6a3ce929d0e0e4736"},"eventId":"2f1b7c9e-3f0a-4c5e-9d7b-1a2b3c4d5e6f",' +
      '"format":"mcp-gateway.audit.record.v1","kind":"call","method":"tools/call","occurredAt":' +
      '"2026-11-21T10:15:30.123Z","outcome":"ok","prevHash":"' +
      GENESIS_HASH +
      '","principal":"agent:build-bot","recordedAt":"2026-11-21T10:15:31.000Z","seq":1,"server":' +
      '"everything","sessionId":"b7d3c0de-0000-4000-8000-000000000001","target":"echo","tenant":' +
      '"default","traceId":"4bf92f3577b34da6a3ce929d0e0e4736"}';
    expect(canonicalRecord(record())).toBe(expected);
    expect(hashRecord(record())).toBe(createHash('sha256').update(expected).digest('hex'));
  });
});

describe('hashRecord', () => {
  it('is a hex SHA-256 and deterministic', () => {
    expect(hashRecord(record())).toMatch(/^[0-9a-f]{64}$/);
    expect(hashRecord(record())).toBe(hashRecord(record()));
  });

  const changes: Array<[string, Partial<AuditRecord>]> = [
    ['chain', { chain: 'tenant:other' }],
    ['seq', { seq: 2 }],
    ['prevHash', { prevHash: 'f'.repeat(64) }],
    ['kind', { kind: 'security' }],
    ['eventId', { eventId: '00000000-0000-4000-8000-000000000000' }],
    ['occurredAt', { occurredAt: new Date('2026-11-21T10:15:30.124Z') }],
    ['recordedAt', { recordedAt: new Date('2026-11-21T10:15:31.001Z') }],
    ['tenant', { tenant: 'other' }],
    ['principal', { principal: 'agent:someone-else' }],
    ['server', { server: null }],
    ['target', { target: 'get-sum' }],
    ['method', { method: 'tools/list' }],
    ['decision', { decision: 'deny' }],
    ['outcome', { outcome: 'error' }],
    ['sessionId', { sessionId: 'stateless' }],
    ['traceId', { traceId: null }],
    ['event', { event: { ...record().event, latencyMs: 3.3 } }],
  ];

  it.each(changes)('changes when %s changes', (_field, change) => {
    expect(hashRecord(record(change))).not.toBe(hashRecord(record()));
  });
});
