import { PolicyEngine, type Principal } from '@gateway/security';
import type { StoredPolicy } from '../store/policy-store.model';
import { BundleCompositionError, composeBundle, sameBundle } from './bundle.composer';

function stored(id: string, source: string, enabled = true): StoredPolicy {
  return {
    tenant: 'acme',
    id,
    description: null,
    source,
    enabled,
    updatedBy: 'user:admin',
    updatedAt: new Date('2026-11-21T10:00:00Z'),
    revision: 1,
  };
}

const agent: Principal = {
  id: 'agent:build-bot',
  tenant: 'acme',
  kind: 'agent',
  roles: ['developer'],
  teams: [],
  scopes: [],
  credentialId: 'key-1',
  credential: 'api-key',
};

describe('composeBundle', () => {
  it('puts the enabled policies under their ids, several under numbered ids, with the settings', () => {
    const composed = composeBundle({
      tenant: 'acme',
      policies: [
        stored('z-off', 'forbid (principal, action, resource);', false),
        stored(
          'dev',
          `@id("ignored") permit (principal in Gateway::Role::"developer", action in Gateway::Action::"use", resource);
           forbid (principal, action, resource == Gateway::Tool::"everything/delete");`,
        ),
        stored(
          'a-view',
          'permit (principal in Gateway::Role::"viewer", action in Gateway::Action::"view", resource);',
        ),
      ],
      settings: {
        tenant: 'acme',
        rateLimits: [{ id: 'all', per: [], capacity: 10, refillPerSecond: 1 }],
        guardrails: null,
        updatedBy: 'user:admin',
        updatedAt: new Date(),
      },
      defaultDecision: 'allow',
    });
    expect(composed).toMatchObject({
      tenant: 'acme',
      defaultDecision: 'allow',
      rateLimits: [{ id: 'all', per: [], capacity: 10, refillPerSecond: 1 }],
    });
    expect(composed).not.toHaveProperty('guardrails');
    const engine = new PolicyEngine({ ...composed, revision: 1, publishedAt: new Date().toISOString() });
    expect(engine.policyIds).toEqual(['a-view', 'dev#1', 'dev#2']);
    const deleteCall = engine.decide({
      principal: agent,
      action: 'tools/call',
      resource: { kind: 'tool', server: 'everything', name: 'delete' },
      context: {},
    });
    expect(deleteCall).toMatchObject({ decision: 'deny', policyIds: ['dev#2'] });
  });

  it('fails naming the stored policy that no longer validates', () => {
    const compose = () =>
      composeBundle({
        tenant: 'acme',
        policies: [
          stored('typo', 'permit (principal, action, resource)\nwhen { principal.tenatn == "acme" };'),
        ],
        settings: undefined,
        defaultDecision: 'deny',
      });
    expect(compose).toThrow(BundleCompositionError);
    expect(compose).toThrow(/typo 2:8 attribute `tenatn`/);
  });

  it('tells a bundle that says the same apart from one that changed', () => {
    const candidate = composeBundle({
      tenant: 'acme',
      policies: [],
      settings: undefined,
      defaultDecision: 'deny',
    });
    const published = { ...candidate, revision: 3, publishedAt: '2026-11-21T10:00:00.000Z' };
    expect(candidate.source).toBe('');
    expect(sameBundle(published, candidate)).toBe(true);
    expect(sameBundle(published, { ...candidate, defaultDecision: 'allow' })).toBe(false);
    expect(sameBundle(published, { ...candidate, guardrails: { masking: undefined } })).toBe(false);
  });
});
