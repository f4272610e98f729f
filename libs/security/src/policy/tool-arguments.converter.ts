import type { CedarValueJson } from '@cedar-policy/cedar-wasm/nodejs';

/** Keys Cedar's JSON reads as an entity reference or an extension value, never as an attribute. */
const reservedKeys = new Set(['__entity', '__extn', '__expr']);

/** Deeper arguments are refused: Cedar's evaluator recurses, and no policy tests that deep. */
const maxDepth = 32;

/** Cedar's decimal holds four fractional digits within the range of a 64-bit integer / 10^4. */
const maxDecimal = 922_337_203_685_477;

/** Arguments a policy could be fooled by, or that Cedar cannot hold; the decision is a deny. */
export class UnrepresentableArgumentsError extends Error {
  override readonly name = 'UnrepresentableArgumentsError';
}

function toCedarNumber(value: number): CedarValueJson {
  if (Number.isSafeInteger(value)) return value;
  if (Number.isFinite(value) && Math.abs(value) < maxDecimal && Number(value.toFixed(4)) === value) {
    const text = value.toFixed(4).replace(/0{1,3}$/, '');
    return { __extn: { fn: 'decimal', arg: text } };
  }
  // As text, a number Cedar cannot hold fails any numeric comparison with an error (never an allow).
  return String(value);
}

function toCedarValue(value: unknown, path: string, depth: number): CedarValueJson | undefined {
  if (depth > maxDepth)
    throw new UnrepresentableArgumentsError(`${path}: nested deeper than ${maxDepth} levels`);
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return toCedarNumber(value);
  if (Array.isArray(value)) {
    return value
      .map((item, index) => toCedarValue(item, `${path}[${index}]`, depth + 1))
      .filter((item) => item !== undefined);
  }
  if (typeof value === 'object') return toCedarRecord(value as Record<string, unknown>, path, depth + 1);
  throw new UnrepresentableArgumentsError(`${path}: not a JSON value`);
}

function toCedarRecord(
  value: Record<string, unknown>,
  path: string,
  depth: number,
  only?: ReadonlySet<string>,
): Record<string, CedarValueJson> {
  const record: Record<string, CedarValueJson> = {};
  for (const [key, item] of Object.entries(value)) {
    if (only && !only.has(key)) continue;
    if (reservedKeys.has(key)) {
      throw new UnrepresentableArgumentsError(`${path}.${key}: the key "${key}" is reserved by Cedar`);
    }
    const converted = toCedarValue(item, `${path}.${key}`, depth);
    if (converted !== undefined) record[key] = converted;
  }
  return record;
}

/**
 * Tool arguments (JSON) as a Cedar record: strings and booleans as they are, integers as Long,
 * other numbers as decimal when exact to four places (else as text), arrays as sets, objects as
 * records, nulls left out (so `has` is false). `only` keeps just the arguments policies mention.
 */
export function toCedarArguments(value: unknown, only?: ReadonlySet<string>): Record<string, CedarValueJson> {
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new UnrepresentableArgumentsError('arguments: expected an object');
  }
  return toCedarRecord(value as Record<string, unknown>, 'arguments', 1, only);
}
