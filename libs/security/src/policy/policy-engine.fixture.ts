import type { PolicyBundleValue } from '@gateway/contracts';
import type { Principal } from '../identity/principal';
import { assignPolicyIds } from './policy-source.parser';
import { rolePolicies } from './role.policies';

export function principal(overrides: Partial<Principal> = {}): Principal {
  return {
    id: 'agent:build-bot',
    tenant: 'default',
    kind: 'agent',
    roles: [],
    teams: [],
    scopes: [],
    credentialId: 'key-1',
    credential: 'api-key',
    ...overrides,
  };
}

/** Policy texts under their ids, as the policy service stores them in a bundle. */
export function policySource(policies: Readonly<Record<string, string>>): string {
  return Object.entries(policies)
    .map(([id, text]) => {
      const outcome = assignPolicyIds(text, id);
      if (!outcome.ok) throw new Error(`${id}: ${JSON.stringify(outcome.errors)}`);
      return outcome.policies.map((policy) => policy.text).join('\n\n');
    })
    .join('\n\n');
}

export const roleSource = policySource(
  Object.fromEntries(rolePolicies.map((role) => [role.id, role.source])),
);

export function bundle(source: string, defaultDecision: 'allow' | 'deny' = 'deny'): PolicyBundleValue {
  return { tenant: 'default', revision: 1, source, defaultDecision, publishedAt: '2026-11-21T10:00:00.000Z' };
}
