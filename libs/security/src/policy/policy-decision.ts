import type { Principal } from '../identity/principal';

/** What a decision is about: an MCP method on one item of one upstream server. */
export interface PolicyResource {
  readonly kind: 'tool' | 'resource' | 'prompt' | 'server';
  /** The upstream server's catalog name. */
  readonly server: string;
  /** The tool or prompt name upstream, the resource URI, or the server name for kind "server". */
  readonly name: string;
  /** Tools only: from the tool's annotations (readOnlyHint, destructiveHint) when it has them. */
  readonly readOnly?: boolean;
  readonly destructive?: boolean;
}

export interface DecisionContext {
  /** The tool call's arguments, as the agent sent them. */
  readonly arguments?: unknown;
  /** The agent's IP address (v4 or v6). */
  readonly clientAddress?: string;
  readonly sessionId?: string;
  /** The virtual server the agent is connected through, if any. */
  readonly view?: string;
  /** The decision's time; now when absent. */
  readonly now?: Date;
}

export interface DecisionInput {
  readonly principal: Principal;
  /** The MCP method, e.g. "tools/call". */
  readonly action: string;
  readonly resource: PolicyResource;
  readonly context: DecisionContext;
}

/** A tool, resource or prompt as an item of a list response. */
export type ListedResource = PolicyResource & { readonly kind: 'tool' | 'resource' | 'prompt' };

/** An item of a list response; its list action and its use action are both checked. */
export interface ListableInput {
  readonly principal: Principal;
  readonly resource: ListedResource;
  readonly context: Omit<DecisionContext, 'arguments'>;
}

export interface Decision {
  readonly decision: 'allow' | 'deny';
  /** The policies that determined it: the permits that allowed, or the forbids that denied. */
  readonly policyIds: readonly string[];
  readonly reason: string;
  /** Policies that could not be evaluated for this request, as "<policy id>: <message>". */
  readonly errors: readonly string[];
}

/** A problem in submitted policy text, at a 1-based line and column of that text. */
export interface PolicyError {
  /** The @id of the policy it is in, when it can be told. */
  readonly policyId?: string;
  readonly message: string;
  readonly line: number;
  readonly column: number;
}

export type PolicyValidation =
  { readonly ok: true } | { readonly ok: false; readonly errors: readonly PolicyError[] };

/** A bundle whose policies cannot be parsed; the engine is not built. */
export class PolicyCompilationError extends Error {
  override readonly name = 'PolicyCompilationError';

  constructor(
    readonly tenant: string,
    readonly errors: readonly PolicyError[],
  ) {
    super(
      `the policies of tenant "${tenant}" do not compile: ` +
        errors
          .map(
            (error) =>
              `${error.policyId ? `${error.policyId} ` : ''}${error.line}:${error.column} ${error.message}`,
          )
          .join('; '),
    );
  }
}
