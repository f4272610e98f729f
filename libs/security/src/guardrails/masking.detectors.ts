import type { MaskingDetector } from '@gateway/contracts';

/** What replaces a detected value: the detector's name, so a reader knows what was there. */
export function maskFor(detector: MaskingDetector): string {
  return `[masked:${detector}]`;
}

/** Finds the values of one kind in a string; `replace` says what a match becomes. */
interface DetectorRule {
  readonly pattern: RegExp;
  /** The replacement of one match, or undefined to leave it (a check the pattern cannot express). */
  readonly replace: (match: string, groups: readonly (string | undefined)[]) => string | undefined;
}

/** The Luhn checksum every payment card number carries (ISO/IEC 7812-1 annex B). */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let index = 0; index < digits.length; index += 1) {
    let digit = digits.charCodeAt(digits.length - 1 - index) - 48;
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

const whole = (detector: MaskingDetector) => (): string => maskFor(detector);

/**
 * A match may start only where a run of token characters starts. Without it a pattern with an
 * unbounded body is tried again inside the same run at every "-" (base64url, kebab-case), which
 * makes masking a large result quadratic: a 1 MB base64url blob took minutes.
 */
const tokenStart = String.raw`(?<![A-Za-z0-9_-])`;

/**
 * Token formats whose prefix says what they are, so a match is a credential and not a lookalike.
 * Anthropic's sk-ant- is a case of OpenAI's broader sk-: both are secrets either way.
 */
const tokenFormats = [
  /(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/,
  /gh[pousr]_[A-Za-z0-9]{36,255}\b/,
  /github_pat_[A-Za-z0-9_]{22,255}/,
  /xox[abprs]-[A-Za-z0-9-]{10,}/,
  /[sr]k_live_[A-Za-z0-9]{16,}/,
  /sk-(?:ant-|proj-)?[A-Za-z0-9_-]{20,}/,
  /AIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/,
  /eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/,
  /mgw_[A-Za-z0-9_-]{16,}/,
]
  .map((pattern) => pattern.source)
  .join('|');

/** A PEM private key block; unterminated (a truncated result), it runs to the end of the text. */
const privateKeyBlock =
  /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----[\s\S]*?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----|$)/;

/** "Bearer word" in prose is not a token: one needs 16+ characters with a digit among them. */
const bearerToken = /\b(Bearer\s{1,8})(?=[A-Za-z0-9._~+/-]*\d)[A-Za-z0-9._~+/-]{16,}=*/;

/**
 * `password = value`, `API_KEY: value`, `"client_secret": "value"`: the name stays, the value
 * goes. A value starting with "[" is left, so an already masked token is not counted twice, and
 * so are null and the booleans. The name starts where its word does (see tokenStart).
 */
const secretAssignment = new RegExp(
  tokenStart +
    String.raw`((?:[A-Za-z0-9]{1,32}[_-]){0,6}(?:password|passwd|secret|token|api[_-]?key|apikey)["']?\s{0,8}[:=]\s{0,8}["']?)` +
    String.raw`(?!(?:null|none|true|false|undefined)\b)([^\s"'\`,;{}[\]][^\s"'\`,;{}]{2,})`,
);

const secretRules: readonly DetectorRule[] = [
  { pattern: new RegExp(`${tokenStart}(?:${tokenFormats})`, 'g'), replace: whole('secrets') },
  { pattern: new RegExp(privateKeyBlock.source, 'g'), replace: whole('secrets') },
  {
    pattern: new RegExp(bearerToken.source, 'gi'),
    replace: (_match, [prefix]) => `${prefix}${maskFor('secrets')}`,
  },
  {
    pattern: new RegExp(secretAssignment.source, 'gi'),
    replace: (_match, [name]) => `${name}${maskFor('secrets')}`,
  },
];

/**
 * 13-19 digits, optionally grouped by spaces or dashes, that pass Luhn and start like a card
 * network's number (2-6: Mastercard, Amex/Diners/JCB, Visa, Mastercard/Maestro, Discover/UnionPay).
 * The network digit keeps millisecond timestamps and other long ids from being masked whenever
 * they happen to pass Luhn, which one number in ten does.
 */
const cardRules: readonly DetectorRule[] = [
  {
    pattern: /(?<!\d)[2-6](?:[ -]?\d){12,18}(?![\d])/g,
    replace: (match) => {
      const digits = match.replace(/[ -]/g, '');
      return passesLuhn(digits) ? maskFor('card') : undefined;
    },
  },
];

const emailRules: readonly DetectorRule[] = [
  {
    // Local part at most 64 characters (RFC 5321), starting where its run does: linear time.
    pattern:
      /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.){1,8}[A-Za-z]{2,63}\b/g,
    replace: whole('email'),
  },
];

const isoDate = /^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\b/;
const dayFirstDate = /^\(?\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}\b/;

/**
 * International numbers: "+", then 8-15 digits (E.164), separators optional. National numbers
 * only in the shapes people write them, with separators: a trunk prefix 0 (020 7946 0958,
 * 06 12 34 56 78, (030) 1234567) or the North American 3-3-4 ((415) 555-2671, 415.555.2671).
 * Digit runs without separators are ids, and years, ranges and versions fit neither shape.
 */
const phonePattern = new RegExp(
  [
    String.raw`(?<![\w+.-]|\d[ .-])`,
    '(?:',
    [
      String.raw`\+\d{1,3}[ .-]?(?:\(\d{1,4}\)[ .-]?)?\d{1,4}(?:[ .-]?\d{2,8}){1,5}`,
      String.raw`0\d{1,4}(?:[ .-]\d{2,8}){1,4}`,
      String.raw`\(0\d{1,4}\)[ .-]?\d{2,8}(?:[ .-]\d{2,8}){0,3}`,
      String.raw`(?:\([2-9]\d{2}\)[ .-]?|[2-9]\d{2}[ .-])\d{3}[ .-]\d{4}`,
    ].join('|'),
    ')',
    String.raw`(?!\w|[ .-]\d)`,
  ].join(''),
  'g',
);

function phoneReplacement(match: string): string | undefined {
  const digits = match.replace(/\D/g, '').length;
  if (match.startsWith('+')) return digits >= 8 && digits <= 15 ? maskFor('phone') : undefined;
  if (digits < 9 || digits > 12 || isoDate.test(match) || dayFirstDate.test(match)) return undefined;
  return maskFor('phone');
}

const phoneRules: readonly DetectorRule[] = [{ pattern: phonePattern, replace: phoneReplacement }];

/** Order matters: secrets first (tokens hold digit runs), cards before phones (both are digits). */
const rulesByDetector: ReadonlyArray<readonly [MaskingDetector, readonly DetectorRule[]]> = [
  ['secrets', secretRules],
  ['card', cardRules],
  ['email', emailRules],
  ['phone', phoneRules],
];

/** The rules of the given detectors, in the order they must run. */
export function rulesFor(
  detectors: readonly MaskingDetector[],
): ReadonlyArray<readonly [MaskingDetector, readonly DetectorRule[]]> {
  return rulesByDetector.filter(([detector]) => detectors.includes(detector));
}

/** Masks one string with one detector's rules; returns the text and how many values it masked. */
export function applyRules(text: string, rules: readonly DetectorRule[]): { text: string; count: number } {
  let count = 0;
  let current = text;
  for (const rule of rules) {
    current = current.replace(rule.pattern, (match: string, ...rest: unknown[]) => {
      // The last two arguments are the offset and the whole string (no rule has named groups).
      const replacement = rule.replace(match, rest.slice(0, -2) as (string | undefined)[]);
      if (replacement === undefined) return match;
      count += 1;
      return replacement;
    });
  }
  return { text: current, count };
}
