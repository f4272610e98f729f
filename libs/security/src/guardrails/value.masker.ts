import type { GuardrailSettings, MaskingDetector, MaskingSettings } from '@gateway/contracts';
import { childPath } from './json-path.format';
import { applyRules, rulesFor } from './masking.detectors';

/** How many values one detector masked in the string at one place of the value. */
export interface MaskFinding {
  readonly detector: MaskingDetector;
  /** JSON path of the string: `content[0].text`, `arguments.query`; '' for a string at the root. */
  readonly path: string;
  readonly count: number;
}

export interface MaskResult {
  /** The masked value; the input itself (same reference) wherever nothing was masked. */
  readonly value: unknown;
  readonly findings: MaskFinding[];
}

type Rules = ReturnType<typeof rulesFor>;

function maskString(text: string, path: string, rules: Rules, findings: MaskFinding[]): string {
  let current = text;
  for (const [detector, detectorRules] of rules) {
    const { text: masked, count } = applyRules(current, detectorRules);
    if (count > 0) findings.push({ detector, path, count });
    current = masked;
  }
  return current;
}

function walk(value: unknown, path: string, rules: Rules, findings: MaskFinding[]): unknown {
  if (typeof value === 'string') return maskString(value, path, rules, findings);
  if (Array.isArray(value)) {
    let changed = false;
    const items = value.map((item: unknown, index) => {
      const masked = walk(item, childPath(path, index), rules, findings);
      changed ||= masked !== item;
      return masked;
    });
    return changed ? items : value;
  }
  if (value !== null && typeof value === 'object') {
    let changed = false;
    const entries = Object.entries(value).map(([key, item]): [string, unknown] => {
      const masked = walk(item, childPath(path, key), rules, findings);
      changed ||= masked !== item;
      return [key, masked];
    });
    return changed ? Object.fromEntries(entries) : value;
  }
  return value;
}

/**
 * Replaces what the detectors find in every string of a JSON value (tool arguments, a tool
 * result) with `[masked:<detector>]`; object keys are left as they are. Nothing of a masked
 * value is kept, not even the last digits of a card: the agent or upstream on the other side
 * is exactly who must not see it.
 */
export function maskValue(value: unknown, detectors: readonly MaskingDetector[]): MaskResult {
  if (detectors.length === 0) return { value, findings: [] };
  const findings: MaskFinding[] = [];
  const masked = walk(value, '', rulesFor(detectors), findings);
  return { value: masked, findings };
}

/**
 * The masking that applies to one upstream server: its own entry when the tenant's guardrails
 * name it (null there switches masking off for it), else the tenant's default; undefined: none.
 */
export function maskingFor(
  settings: GuardrailSettings | undefined,
  serverName: string,
): MaskingSettings | undefined {
  const servers = settings?.servers;
  if (servers && Object.hasOwn(servers, serverName)) return servers[serverName] ?? undefined;
  return settings?.masking;
}
