import type { ValidationError } from '@cedar-policy/cedar-wasm/nodejs';
import { cedarWasm } from './cedar-wasm.loader';
import { gatewayCedarSchema } from './gateway-cedar.schema';
import type { PolicyError, PolicyValidation } from './policy-decision';
import { type ParseOptions, parsePolicies, toPolicyError } from './policy-source.parser';

/**
 * The one validation error accepted: reading the undeclared `context.arguments`. Tool arguments
 * are arbitrary JSON that no Cedar schema can type (see gateway-cedar.schema.ts), so the
 * validator's "attribute `arguments` ... not found" on an expression that starts with
 * context.arguments (or context["arguments"]) is the expected outcome of a policy that tests an
 * argument, not a mistake. Everything else in such a policy is still checked; comparisons with
 * argument values are checked at evaluation, where a type mismatch is an error (which never
 * allows).
 */
function readsToolArguments(source: Buffer, error: ValidationError): boolean {
  const location = error.error.sourceLocations?.[0];
  if (!location || !/attribute `arguments` in context\b/.test(error.error.message)) return false;
  const expression = source.subarray(location.start, location.end).toString('utf8').replace(/\s+/g, '');
  return expression.startsWith('context.arguments') || expression.startsWith('context["arguments"]');
}

/**
 * Checks policy text: syntax, then strict validation against the schema (unknown attributes,
 * entity types and actions, type errors). Positions are 1-based lines and columns of `source`;
 * with `storedAs`, errors name the policies by the ids assignPolicyIds gives them.
 */
export function validatePolicies(
  source: string,
  schemaText: string = gatewayCedarSchema,
  options: ParseOptions = {},
): PolicyValidation {
  const parsed = parsePolicies(source, options);
  if (!parsed.ok) return { ok: false, errors: parsed.errors };
  if (parsed.policies.length === 0) return { ok: true };
  const answer = cedarWasm().validate({ schema: schemaText, policies: { staticPolicies: source } });
  if (answer.type === 'failure') {
    // The policies parsed, so these are the schema's problems; they have no place in `source`.
    return {
      ok: false,
      errors: answer.errors.map((error) => ({
        ...toPolicyError('', error),
        message: `schema: ${error.message}`,
      })),
    };
  }
  const ids = new Map(parsed.policies.map((policy) => [policy.cedarId, policy.id]));
  const bytes = Buffer.from(source, 'utf8');
  const errors = new Map<string, PolicyError>();
  for (const error of answer.validationErrors) {
    if (readsToolArguments(bytes, error)) continue;
    const location = error.error.sourceLocations?.[0];
    // One mistake is reported once per principal type it was checked for; once is enough.
    const key = `${error.policyId}@${location?.start ?? ''}-${location?.end ?? ''}`;
    if (!errors.has(key)) errors.set(key, toPolicyError(source, error.error, ids.get(error.policyId)));
  }
  return errors.size === 0 ? { ok: true } : { ok: false, errors: [...errors.values()] };
}
