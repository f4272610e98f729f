import { ADMIN_CHAIN, adminChangeEntry, callEntry, securityEntry } from './audit-entry.mapper';
import { adminChange, callEvent, securityEvent } from './audit-events.fixture';

describe('audit entries', () => {
  it('puts a call on its tenant chain with every filter column', () => {
    const event = callEvent({ tenant: 'acme' });
    expect(callEntry(event)).toEqual({
      kind: 'call',
      chain: 'tenant:acme',
      eventId: event.eventId,
      occurredAt: new Date(event.occurredAt),
      tenant: 'acme',
      principal: event.principal,
      server: 'everything',
      target: 'echo',
      method: 'tools/call',
      decision: 'allow',
      outcome: 'ok',
      sessionId: event.sessionId,
      traceId: event.traceId,
      event: { ...event },
    });
  });

  it('puts a security event on the same tenant chain, its kind as the outcome', () => {
    const entry = securityEntry(
      securityEvent({ tenant: 'acme', kind: 'rate-limited', principal: 'agent:x' }),
    );
    expect(entry).toMatchObject({
      kind: 'security',
      chain: 'tenant:acme',
      principal: 'agent:x',
      decision: 'deny',
      outcome: 'rate-limited',
      sessionId: null,
    });
    expect(securityEntry(securityEvent({ kind: 'guardrail' })).decision).toBeNull();
  });

  it('puts admin changes on the admin chain', () => {
    const entry = adminChangeEntry(
      adminChange({ entityType: 'policy', entityId: 'default', action: 'updated' }),
    );
    expect(entry).toMatchObject({
      kind: 'admin',
      chain: ADMIN_CHAIN,
      tenant: null,
      principal: 'config',
      server: null,
      target: 'default',
      method: 'policy.updated',
    });
    expect(adminChangeEntry(adminChange({ entityType: 'server', entityId: 'everything' })).server).toBe(
      'everything',
    );
  });

  it('lower-cases the event id as Postgres returns it, and keeps the event as it came', () => {
    const event = callEvent({ eventId: 'AAAAAAAA-0000-4000-8000-000000000000' });
    const entry = callEntry(event);
    expect(entry.eventId).toBe('aaaaaaaa-0000-4000-8000-000000000000');
    expect(entry.event['eventId']).toBe('AAAAAAAA-0000-4000-8000-000000000000');
  });

  it('drops absent optional fields from the stored event, as JSON would', () => {
    const entry = callEntry(callEvent({ server: undefined }));
    expect(entry.server).toBeNull();
    expect('server' in entry.event).toBe(false);
  });

  it('stores a NUL character, which Postgres refuses, as U+FFFD in the columns and the event', () => {
    const stored = callEntry({ ...callEvent(), tenant: 'acme\u0000', target: 'echo\u0000x' });
    expect(stored).toMatchObject({ chain: 'tenant:acme\uFFFD', tenant: 'acme\uFFFD', target: 'echo\uFFFDx' });
    expect(stored.event).toMatchObject({ tenant: 'acme\uFFFD', target: 'echo\uFFFDx' });
    expect(JSON.stringify(stored)).not.toContain('\\u0000');
  });
});
