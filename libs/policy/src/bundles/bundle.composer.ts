import { isDeepStrictEqual } from 'node:util';
import type { PolicyBundleValue } from '@gateway/contracts';
import { assignPolicyIds, gatewayCedarSchema, type PolicyError, validatePolicies } from '@gateway/security';
import type { StoredPolicy, StoredSettings } from '../store/policy-store.model';

/** The tenant's stored policies no longer make a valid bundle (say, after a schema change). */
export class BundleCompositionError extends Error {
  override readonly name = 'BundleCompositionError';

  constructor(
    readonly tenant: string,
    readonly errors: readonly PolicyError[],
  ) {
    super(
      `the policies of tenant "${tenant}" do not make a valid bundle: ` +
        errors
          .map((error) => `${error.policyId ?? '?'} ${error.line}:${error.column} ${error.message}`)
          .join('; '),
    );
  }
}

export interface BundleInputs {
  readonly tenant: string;
  readonly policies: readonly StoredPolicy[];
  readonly settings: StoredSettings | undefined;
  readonly defaultDecision: 'allow' | 'deny';
}

/**
 * The bundle's text: each enabled policy under its @id (id, or id#n for several), ordered by id.
 * Each stored text is validated on its own first, so errors point into the text an admin wrote.
 */
function bundleSource(tenant: string, policies: readonly StoredPolicy[]): string {
  const texts: string[] = [];
  const errors: PolicyError[] = [];
  for (const policy of [...policies]
    .filter((stored) => stored.enabled)
    .sort((a, b) => a.id.localeCompare(b.id))) {
    const validation = validatePolicies(policy.source, gatewayCedarSchema, { storedAs: policy.id });
    const identified = assignPolicyIds(policy.source, policy.id);
    if (!validation.ok) errors.push(...validation.errors);
    else if (!identified.ok) errors.push(...identified.errors);
    else texts.push(...identified.policies.map((identifiedPolicy) => identifiedPolicy.text));
  }
  if (errors.length > 0) throw new BundleCompositionError(tenant, errors);
  return texts.length === 0 ? '' : `${texts.join('\n\n')}\n`;
}

/** The bundle the tenant's state makes, without revision and publication time. */
export function composeBundle(inputs: BundleInputs): Omit<PolicyBundleValue, 'revision' | 'publishedAt'> {
  const source = bundleSource(inputs.tenant, inputs.policies);
  const validation = validatePolicies(source);
  if (!validation.ok) throw new BundleCompositionError(inputs.tenant, validation.errors);
  const { rateLimits, guardrails } = inputs.settings ?? { rateLimits: null, guardrails: null };
  return {
    tenant: inputs.tenant,
    source,
    schema: gatewayCedarSchema,
    defaultDecision: inputs.defaultDecision,
    ...(rateLimits ? { rateLimits: [...rateLimits] } : {}),
    ...(guardrails ? { guardrails } : {}),
  };
}

/** Whether a published bundle already says what the candidate says (revision and time aside). */
export function sameBundle(
  published: PolicyBundleValue,
  candidate: Omit<PolicyBundleValue, 'revision' | 'publishedAt'>,
): boolean {
  // Through JSON: absent and undefined optional fields mean the same.
  const comparable = (bundle: object): unknown =>
    JSON.parse(JSON.stringify({ ...bundle, revision: undefined, publishedAt: undefined }));
  return isDeepStrictEqual(comparable(published), comparable(candidate));
}
