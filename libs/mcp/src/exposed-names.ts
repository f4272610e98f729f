import { createHash } from 'node:crypto';

/**
 * Tool and prompt names the gateway exposes stay within this alphabet and length (DESIGN.md,
 * Protocol): the alphabet and length the LLM tool-calling APIs accept.
 */
export const maxExposedNameLength = 64;
const separator = '_';
const hashLength = 8;
const outsideAlphabet = /[^A-Za-z0-9_-]/g;

function sanitize(name: string): string {
  return name.replace(outsideAlphabet, '_');
}

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, hashLength);
}

/** Cuts a name to the length limit, ending it with the hash so that distinct long names stay distinct. */
function withHashSuffix(name: string, hashed: string): string {
  return `${name.slice(0, maxExposedNameLength - hashLength - 1)}${separator}${shortHash(hashed)}`;
}

function fitLength(name: string): string {
  return name.length <= maxExposedNameLength ? name : withHashSuffix(name, name);
}

/**
 * The name an agent sees for an upstream's tool or prompt: the upstream's own name when only one
 * server is exposed, "<server>_<name>" otherwise. Names past 64 characters are cut and end with a
 * short hash of the full name, so distinct long names stay distinct.
 *
 * Two different upstream names can still meet on one exposed name ("a.b" and "a_b"); use
 * {@link exposedNames} to name a whole list collision-free.
 */
export function exposedName(server: string, upstreamName: string, prefixed: boolean): string {
  return fitLength(sanitize(prefixed ? `${server}${separator}${upstreamName}` : upstreamName));
}

/** The same rules apply to prompts: prompt names reach the same agents and UIs as tool names. */
export const exposedPromptName = exposedName;

/** One item to name: its server (a unique label), its upstream name and an optional alias. */
export interface NameClaim {
  readonly server: string;
  readonly name: string;
  /** Exposed as given (sanitized and cut to length, never prefixed); empty means none. */
  readonly alias?: string;
}

interface Candidate {
  readonly index: number;
  readonly base: string;
  /**
   * 2: an alias taken verbatim (someone chose this name), 1: an upstream name taken verbatim,
   * 0: a name the rules changed (sanitized, cut or prefixed into someone else's name).
   */
  readonly rank: number;
  /** Identifies the claim for the disambiguating hash, independent of list order. */
  readonly identity: string;
}

function candidateOf(claim: NameClaim, index: number, prefixed: boolean): Candidate {
  const alias = claim.alias === '' ? undefined : claim.alias;
  const wanted = alias ?? (prefixed ? `${claim.server}${separator}${claim.name}` : claim.name);
  const base =
    alias === undefined ? exposedName(claim.server, claim.name, prefixed) : fitLength(sanitize(alias));
  const identity = [claim.server, claim.name, ...(alias === undefined ? [] : [alias])].join('\u0000');
  const rank = base !== wanted ? 0 : alias === undefined ? 1 : 2;
  return { index, base, rank, identity };
}

/** The one claim of a group that keeps the name: the single one of the highest rank above 0. */
function keeperOf(group: readonly Candidate[]): Candidate | undefined {
  if (group.length === 1) return group[0];
  const highest = Math.max(...group.map((candidate) => candidate.rank));
  const best = group.filter((candidate) => candidate.rank === highest);
  return highest > 0 && best.length === 1 ? best[0] : undefined;
}

function byIdentity(left: Candidate, right: Candidate): number {
  return left.identity < right.identity ? -1 : left.identity > right.identity ? 1 : 0;
}

/**
 * Names a whole list (one kind, one exposure) so that every claim gets its own exposed name, in
 * the order given. Where several claims meet on one name, the one that is that name verbatim keeps
 * it (an alias before an upstream name) and every other one gets a hash of its server and upstream
 * name as suffix; when no claim, or more than one of the same rank, is verbatim, they all do. The
 * outcome depends only on the set of claims, never on their order, so a listing and a later
 * lookup agree.
 */
export function exposedNames(claims: readonly NameClaim[], prefixed: boolean): string[] {
  const candidates = claims.map((claim, index) => candidateOf(claim, index, prefixed));
  const groups = new Map<string, Candidate[]>();
  for (const candidate of candidates) {
    const group = groups.get(candidate.base);
    if (group) group.push(candidate);
    else groups.set(candidate.base, [candidate]);
  }
  const keeping: Candidate[] = [];
  const renaming: Candidate[] = [];
  for (const group of groups.values()) {
    const keeper = keeperOf(group);
    for (const candidate of group) (candidate === keeper ? keeping : renaming).push(candidate);
  }
  const names: string[] = new Array<string>(claims.length);
  const taken = new Set<string>();
  for (const candidate of keeping) {
    names[candidate.index] = candidate.base;
    taken.add(candidate.base);
  }
  // A suffixed name could meet a kept name or another suffix; a salt settles that rare case.
  for (const candidate of renaming.sort(byIdentity)) {
    let name = withHashSuffix(candidate.base, candidate.identity);
    for (let salt = 1; taken.has(name); salt += 1) {
      name = withHashSuffix(candidate.base, `${candidate.identity}\u0000${salt}`);
    }
    names[candidate.index] = name;
    taken.add(name);
  }
  return names;
}
