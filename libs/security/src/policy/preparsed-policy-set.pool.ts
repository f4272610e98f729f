import type { DetailedError } from '@cedar-policy/cedar-wasm/nodejs';
import { cedarWasm } from './cedar-wasm.loader';

/**
 * cedar-wasm keeps preparsed policy sets in a map inside the WebAssembly module, under ids we
 * choose, and offers no way to drop one. Each engine's sets take an id from this pool; when the
 * engine is garbage collected the id is emptied (which frees the parsed policies) and reused, so
 * a long-running process that sees many bundle revisions holds only the live ones.
 */
const freeIds: string[] = [];
let created = 0;

const reclaim = new FinalizationRegistry<string>((id) => {
  cedarWasm().preparsePolicySet(id, { staticPolicies: {} });
  freeIds.push(id);
});

export type PreparseOutcome =
  | { readonly ok: true; readonly id: string }
  | { readonly ok: false; readonly errors: readonly DetailedError[] };

/** Parses the policies once; the id serves statefulIsAuthorized for as long as `owner` lives. */
export function preparsePolicies(owner: object, policies: Readonly<Record<string, string>>): PreparseOutcome {
  const id = freeIds.pop() ?? `gateway-policy-set-${(created += 1)}`;
  const answer = cedarWasm().preparsePolicySet(id, { staticPolicies: { ...policies } });
  if (answer.type === 'failure') {
    // A failed preparse leaves the id as it was (empty), ready for the next engine.
    freeIds.push(id);
    return { ok: false, errors: answer.errors };
  }
  reclaim.register(owner, id);
  return { ok: true, id };
}
