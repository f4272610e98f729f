import type {
  AuthorizationAnswer,
  CedarValueJson,
  Context,
  DetailedError,
} from '@cedar-policy/cedar-wasm/nodejs';
import type { PolicyBundleValue } from '@gateway/contracts';
import { type ArgumentReferences, argumentReferences } from './argument-references';
import { cedarWasm } from './cedar-wasm.loader';
import {
  actionUid,
  principalUid,
  requestContext,
  requestEntities,
  resourceUid,
} from './cedar-request.builder';
import {
  type Decision,
  type DecisionInput,
  type ListableInput,
  PolicyCompilationError,
  type PolicyResource,
} from './policy-decision';
import { describeCedarError, parsePolicies, toPolicyError } from './policy-source.parser';
import { preparsePolicies } from './preparsed-policy-set.pool';
import { toCedarArguments, UnrepresentableArgumentsError } from './tool-arguments.converter';

/** For a listed item: the list action that shows it and the action that uses it. */
const itemActions = {
  tool: { list: 'tools/list', use: 'tools/call' },
  resource: { list: 'resources/list', use: 'resources/read' },
  prompt: { list: 'prompts/list', use: 'prompts/get' },
} as const;

/** Cedar's JSON for an unknown: partial evaluation leaves what depends on it as a residual. */
const unknownArguments: CedarValueJson = { __extn: { fn: 'unknown', arg: 'arguments' } };

type Request = Pick<DecisionInput, 'principal' | 'action' | 'resource'>;

function describeResource(resource: PolicyResource): string {
  const uid = resourceUid(resource);
  return `${uid.type}::${JSON.stringify(uid.id)}`;
}

function cedarError(error: unknown): DetailedError {
  const message = error instanceof Error ? error.message : String(error);
  return { message, help: null, code: null, url: null, severity: 'error' };
}

function deny(reason: string, policyIds: readonly string[] = [], errors: readonly string[] = []): Decision {
  return { decision: 'deny', policyIds, reason, errors };
}

/**
 * One tenant's policy bundle, parsed once into cedar-wasm's preparsed cache, deciding requests
 * synchronously in-process. Cedar semantics: deny unless a permit applies, a forbid wins, and
 * beyond Cedar an evaluation error never allows (a forbid that errs denies; a permit that errs
 * does not count). A bundle without policies decides by its default.
 */
export class PolicyEngine {
  readonly tenant: string;
  readonly revision: number;
  readonly defaultDecision: 'allow' | 'deny';
  /** The bundle's policy ids, in text order. */
  readonly policyIds: readonly string[];
  private readonly effects: ReadonlyMap<string, 'permit' | 'forbid'>;
  private readonly policySetId: string;
  /** The policies that do not read tool arguments: exact for listing whatever the arguments. */
  private readonly argumentFreeSetId: string;
  /** Permits that read tool arguments, for partial evaluation with the arguments unknown. */
  private readonly argumentPermits: Readonly<Record<string, string>>;
  /** What to pass of the arguments: nothing, the names policies read, or (all) everything. */
  private readonly argumentsRead: ArgumentReferences | undefined;

  /** Throws PolicyCompilationError when the bundle's source does not parse. */
  constructor(readonly bundle: PolicyBundleValue) {
    this.tenant = bundle.tenant;
    this.revision = bundle.revision;
    this.defaultDecision = bundle.defaultDecision;
    const parsed = parsePolicies(bundle.source);
    if (!parsed.ok) throw new PolicyCompilationError(bundle.tenant, parsed.errors);
    const all: Record<string, string> = {};
    const argumentFree: Record<string, string> = {};
    const argumentPermits: Record<string, string> = {};
    const effects = new Map<string, 'permit' | 'forbid'>();
    const references: ArgumentReferences[] = [];
    for (const policy of parsed.policies) {
      all[policy.id] = policy.text;
      effects.set(policy.id, policy.json.effect);
      const read = argumentReferences(policy.json);
      if (read) references.push(read);
      if (!read) argumentFree[policy.id] = policy.text;
      else if (policy.json.effect === 'permit') argumentPermits[policy.id] = policy.text;
    }
    this.policyIds = parsed.policies.map((policy) => policy.id);
    this.effects = effects;
    this.argumentPermits = argumentPermits;
    this.argumentsRead =
      references.length === 0
        ? undefined
        : {
            all: references.some((read) => read.all),
            names: new Set(references.flatMap((read) => [...read.names])),
          };
    this.policySetId = this.preparse(all);
    this.argumentFreeSetId = references.length === 0 ? this.policySetId : this.preparse(argumentFree);
  }

  decide(input: DecisionInput): Decision {
    if (input.principal.tenant !== this.tenant) {
      return deny(
        `the principal is of tenant "${input.principal.tenant}", these policies are "${this.tenant}"'s`,
      );
    }
    if (this.policyIds.length === 0) {
      return {
        decision: this.defaultDecision,
        policyIds: [],
        reason: `tenant "${this.tenant}" has no policies; its default decision applies`,
        errors: [],
      };
    }
    let toolArguments: CedarValueJson | undefined;
    try {
      toolArguments = this.cedarArguments(input.context.arguments);
    } catch (error) {
      if (!(error instanceof UnrepresentableArgumentsError)) throw error;
      return deny('the tool arguments cannot be evaluated', [], [error.message]);
    }
    const answer = this.evaluate(this.policySetId, input, requestContext(input.context, toolArguments));
    return this.interpret(answer, input);
  }

  /**
   * Whether an item belongs in a list response: its list action is allowed, and its use action
   * (call, read, get) is not denied whatever the arguments. A tool permitted only for some
   * argument values stays listed; a tool denied outright does not.
   */
  listable(input: ListableInput): boolean {
    const actions = itemActions[input.resource.kind];
    if (this.decide({ ...input, action: actions.list }).decision !== 'allow') return false;
    return !this.definitelyDenied({ ...input, action: actions.use }, input.context);
  }

  private definitelyDenied(request: Request, context: ListableInput['context']): boolean {
    if (this.policyIds.length === 0) return this.defaultDecision === 'deny';
    const answer = this.evaluate(this.argumentFreeSetId, request, requestContext(context));
    if (answer.type === 'failure') return true;
    const decided = this.interpret(answer, request);
    if (decided.decision === 'allow') return false;
    // Forbids that hold (or err) without reading arguments deny every call; else only an
    // argument-reading permit could still allow.
    if (decided.policyIds.length > 0 || Object.keys(this.argumentPermits).length === 0) return true;
    try {
      const partial = cedarWasm().isAuthorizedPartial({
        principal: principalUid(request.principal),
        action: actionUid(request.action),
        resource: resourceUid(request.resource),
        context: requestContext(context, unknownArguments),
        entities: requestEntities(request.principal, request.action, request.resource),
        policies: { staticPolicies: { ...this.argumentPermits } },
      });
      return partial.type === 'failure' || partial.response.decision === 'deny';
    } catch {
      return true;
    }
  }

  private cedarArguments(value: unknown): CedarValueJson | undefined {
    if (!this.argumentsRead || value === undefined) return undefined;
    return toCedarArguments(value, this.argumentsRead.all ? undefined : this.argumentsRead.names);
  }

  private evaluate(policySetId: string, request: Request, context: Context): AuthorizationAnswer {
    try {
      return cedarWasm().statefulIsAuthorized({
        principal: principalUid(request.principal),
        action: actionUid(request.action),
        resource: resourceUid(request.resource),
        context,
        entities: requestEntities(request.principal, request.action, request.resource),
        preparsedPolicySetId: policySetId,
      });
    } catch (error) {
      // cedar-wasm throws (instead of answering "failure") for input it cannot deserialize.
      return { type: 'failure', errors: [cedarError(error)], warnings: [] };
    }
  }

  private interpret(answer: AuthorizationAnswer, request: Request): Decision {
    if (answer.type === 'failure') {
      return deny('the request could not be evaluated', [], answer.errors.map(describeCedarError));
    }
    const { decision, diagnostics } = answer.response;
    const errors = diagnostics.errors.map((error) => `${error.policyId}: ${describeCedarError(error.error)}`);
    const failedForbids = diagnostics.errors
      .map((error) => error.policyId)
      .filter((policyId) => this.effects.get(policyId) === 'forbid');
    if (failedForbids.length > 0) {
      return deny(
        `forbid ${failedForbids.join(', ')} could not be evaluated; an error never allows`,
        failedForbids,
        errors,
      );
    }
    if (decision === 'allow') {
      return {
        decision,
        policyIds: diagnostics.reason,
        reason: `permitted by ${diagnostics.reason.join(', ')}`,
        errors,
      };
    }
    if (diagnostics.reason.length > 0) {
      return deny(`forbidden by ${diagnostics.reason.join(', ')}`, diagnostics.reason, errors);
    }
    return deny(`no policy permits ${request.action} on ${describeResource(request.resource)}`, [], errors);
  }

  private preparse(policies: Record<string, string>): string {
    const outcome = preparsePolicies(this, policies);
    if (!outcome.ok) {
      throw new PolicyCompilationError(
        this.tenant,
        outcome.errors.map((error) => toPolicyError('', error)),
      );
    }
    return outcome.id;
  }
}
