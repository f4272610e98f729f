import type { PolicyJson } from '@cedar-policy/cedar-wasm/nodejs';

/** Which tool arguments a policy reads, so a decision passes Cedar only those. */
export interface ArgumentReferences {
  /** It uses context.arguments (or the whole context) as a value: every argument is needed. */
  readonly all: boolean;
  /** The top-level argument names it reads or tests with `has`. */
  readonly names: ReadonlySet<string>;
}

interface Collected {
  reads: boolean;
  all: boolean;
  readonly names: Set<string>;
}

type Node = Record<string, unknown>;

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isContext(node: unknown): boolean {
  return isNode(node) && node['Var'] === 'context';
}

/** `context.arguments` itself. */
function isArguments(node: unknown): boolean {
  const access = isNode(node) ? node['.'] : undefined;
  return isNode(access) && isContext(access['left']) && access['attr'] === 'arguments';
}

function visitAccess(access: Node, collected: Collected, isHas: boolean): void {
  const path = Array.isArray(access['attr']) ? (access['attr'] as unknown[]) : [access['attr']];
  if (isContext(access['left'])) {
    if (path[0] !== 'arguments') return;
    collected.reads = true;
    if (typeof path[1] === 'string') collected.names.add(path[1]);
    // `context.arguments` read as a value (compared, tested with `has` on nothing deeper) needs it whole.
    else if (!isHas) collected.all = true;
    return;
  }
  if (isArguments(access['left']) && typeof path[0] === 'string') {
    collected.reads = true;
    collected.names.add(path[0]);
    return;
  }
  visit(access['left'], collected);
}

function visit(node: unknown, collected: Collected): void {
  if (Array.isArray(node)) {
    for (const item of node) visit(item, collected);
    return;
  }
  if (!isNode(node) || 'Value' in node) return;
  if (isNode(node['.'])) return visitAccess(node['.'], collected, false);
  if (isNode(node['has'])) return visitAccess(node['has'], collected, true);
  if (isContext(node)) {
    collected.reads = true;
    collected.all = true;
    return;
  }
  for (const value of Object.values(node)) visit(value, collected);
}

/** The tool arguments a policy's conditions read; undefined when they read none. */
export function argumentReferences(policy: PolicyJson): ArgumentReferences | undefined {
  const collected: Collected = { reads: false, all: false, names: new Set() };
  for (const condition of policy.conditions) visit(condition.body, collected);
  return collected.reads ? { all: collected.all, names: collected.names } : undefined;
}
