import type { DetailedError, PolicyJson } from '@cedar-policy/cedar-wasm/nodejs';
import { cedarWasm } from './cedar-wasm.loader';
import type { PolicyError } from './policy-decision';
import { positionOfByteOffset, positionOfIndex } from './source-position';

/** One policy of a policy set text. */
export interface ParsedPolicy {
  /** Its @id annotation, or the id Cedar gives it (policy0, policy1, ... in text order). */
  readonly id: string;
  /** The id Cedar gives it when the whole text is parsed as one set: policy<index>. */
  readonly cedarId: string;
  /** Its text, verbatim (annotations included). */
  readonly text: string;
  /** Where the text starts in the source (a string index). */
  readonly index: number;
  readonly json: PolicyJson;
}

export type ParseOutcome =
  | { readonly ok: true; readonly policies: readonly ParsedPolicy[] }
  | { readonly ok: false; readonly errors: readonly PolicyError[] };

/** "message; help", without Cedar's "for policy `policy3`, " prefix (its ids are not ours). */
export function describeCedarError(error: DetailedError): string {
  const message = error.message.replace(/^for policy `[^`]*`, /, '');
  return error.help ? `${message}; ${error.help}` : message;
}

/** A Cedar error as a PolicyError, at its first source location (the text's start without one). */
export function toPolicyError(source: string, error: DetailedError, policyId?: string): PolicyError {
  const location = error.sourceLocations?.[0];
  const position = location ? positionOfByteOffset(source, location.start) : { line: 1, column: 1 };
  return { ...(policyId !== undefined ? { policyId } : {}), message: describeCedarError(error), ...position };
}

function errorAt(source: string, index: number, message: string, policyId?: string): PolicyError {
  return { ...(policyId !== undefined ? { policyId } : {}), message, ...positionOfIndex(source, index) };
}

/**
 * policySetTextToParts returns the policies sorted by Cedar's ids as strings (policy0, policy1,
 * policy10, policy2, ...); this puts them back in text order, which is what the ids count.
 */
function inTextOrder(parts: readonly string[]): Array<{ text: string; cedarId: string }> {
  const cedarIds = parts.map((_part, index) => `policy${index}`).sort();
  return parts
    .map((text, position) => ({ text, cedarId: cedarIds[position]! }))
    .sort((left, right) => Number(left.cedarId.slice(6)) - Number(right.cedarId.slice(6)));
}

function idAnnotation(json: PolicyJson): string | undefined {
  const id = json.annotations?.['id'];
  return typeof id === 'string' && id.length > 0 ? id : undefined;
}

export interface ParseOptions {
  /** Name the policies as assignPolicyIds would store them under this id (their own @id ignored). */
  readonly storedAs?: string;
}

/** `id` for a single policy, `id#1`, `id#2`, ... in text order for several. */
function storedId(storedAs: string, index: number, count: number): string {
  return count === 1 ? storedAs : `${storedAs}#${index + 1}`;
}

/**
 * Splits a policy set text into its policies with their ids and positions. Fails with positioned
 * errors on a syntax error, a template (slots are not supported: nothing links them) or an @id
 * given to two policies.
 */
export function parsePolicies(source: string, options: ParseOptions = {}): ParseOutcome {
  const cedar = cedarWasm();
  const answer = cedar.policySetTextToParts(source);
  if (answer.type === 'failure') {
    return { ok: false, errors: answer.errors.map((error) => toPolicyError(source, error)) };
  }
  const errors: PolicyError[] = answer.policy_templates.map((template) =>
    errorAt(
      source,
      source.indexOf(template),
      'templates (policies with ?principal or ?resource slots) are not supported',
    ),
  );
  const policies: ParsedPolicy[] = [];
  const seen = new Set<string>();
  let cursor = 0;
  const ordered = inTextOrder(answer.policies);
  for (const [position, { text, cedarId }] of ordered.entries()) {
    const found = source.indexOf(text, cursor);
    const index = found >= 0 ? found : cursor;
    cursor = found >= 0 ? found + text.length : cursor;
    const converted = cedar.policyToJson(text);
    if (converted.type === 'failure') {
      errors.push(...converted.errors.map((error) => errorAt(source, index, describeCedarError(error))));
      continue;
    }
    const id =
      options.storedAs !== undefined
        ? storedId(options.storedAs, position, ordered.length)
        : (idAnnotation(converted.json) ?? cedarId);
    if (seen.has(id)) errors.push(errorAt(source, index, `the policy id "${id}" is used twice`, id));
    seen.add(id);
    policies.push({ id, cedarId, text, index, json: converted.json });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, policies };
}

/** A policy with the @id it is stored under. */
export interface IdentifiedPolicy {
  readonly id: string;
  readonly text: string;
}

export type IdentifiedOutcome =
  | { readonly ok: true; readonly policies: readonly IdentifiedPolicy[] }
  | { readonly ok: false; readonly errors: readonly PolicyError[] };

/**
 * Gives each policy of a text the @id it is stored under: `id` for a single policy,
 * `id#1`, `id#2`, ... in text order for several. Any @id the text had is replaced. The texts are
 * Cedar's rendering of the policies (comments and layout are not kept).
 */
export function assignPolicyIds(source: string, id: string): IdentifiedOutcome {
  const parsed = parsePolicies(source, { storedAs: id });
  if (!parsed.ok) return parsed;
  const cedar = cedarWasm();
  const policies: IdentifiedPolicy[] = [];
  for (const policy of parsed.policies) {
    const rendered = cedar.policyToText({
      ...policy.json,
      annotations: { ...policy.json.annotations, id: policy.id },
    });
    if (rendered.type === 'failure') {
      return { ok: false, errors: rendered.errors.map((error) => toPolicyError(source, error, policy.id)) };
    }
    policies.push({ id: policy.id, text: rendered.text });
  }
  return { ok: true, policies };
}
