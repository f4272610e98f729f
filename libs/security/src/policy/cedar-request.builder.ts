import { isIP } from 'node:net';
import type { CedarValueJson, Context, EntityJson, TypeAndId } from '@cedar-policy/cedar-wasm/nodejs';
import type { Principal } from '../identity/principal';
import { cedarWasm } from './cedar-wasm.loader';
import { gatewayCedarSchema } from './gateway-cedar.schema';
import type { DecisionContext, PolicyResource } from './policy-decision';

const principalTypes: Record<Principal['kind'], string> = {
  user: 'Gateway::User',
  agent: 'Gateway::Agent',
  'service-account': 'Gateway::ServiceAccount',
};

const resourceTypes: Record<PolicyResource['kind'], string> = {
  tool: 'Gateway::Tool',
  resource: 'Gateway::Resource',
  prompt: 'Gateway::Prompt',
  server: 'Gateway::Server',
};

const actionType = 'Gateway::Action';

export function principalUid(principal: Principal): TypeAndId {
  return { type: principalTypes[principal.kind], id: principal.id };
}

/** Tool::"<server>/<name>" (likewise resources and prompts); Server::"<server>". */
export function resourceUid(resource: PolicyResource): TypeAndId {
  const id = resource.kind === 'server' ? resource.server : `${resource.server}/${resource.name}`;
  return { type: resourceTypes[resource.kind], id };
}

export function actionUid(action: string): TypeAndId {
  return { type: actionType, id: action };
}

let actionGroups: ReadonlyMap<string, readonly string[]> | undefined;

/** The groups each action of the schema is in ("tools/call" in "use", ...), read once. */
function groupsOf(action: string): readonly string[] {
  if (!actionGroups) {
    const answer = cedarWasm().schemaToJson(gatewayCedarSchema);
    if (answer.type === 'failure')
      throw new Error(`the gateway schema does not parse: ${answer.errors[0]?.message}`);
    const actions = answer.json['Gateway']?.actions ?? {};
    actionGroups = new Map(
      Object.entries(actions).map(([name, definition]) => [
        name,
        (definition.memberOf ?? []).map((parent) => parent.id),
      ]),
    );
  }
  return actionGroups.get(action) ?? [];
}

/**
 * The action and the groups above it. Policies are evaluated without the schema (it would refuse
 * the undeclared tool arguments), so the action hierarchy travels as entities.
 */
function actionEntities(action: string): EntityJson[] {
  const entities: EntityJson[] = [];
  const pending = [action];
  const seen = new Set<string>();
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    const groups = groupsOf(name);
    entities.push({ uid: actionUid(name), attrs: {}, parents: groups.map(actionUid) });
    pending.push(...groups);
  }
  return entities;
}

function principalEntity(principal: Principal): EntityJson {
  return {
    uid: principalUid(principal),
    attrs: { tenant: principal.tenant, kind: principal.kind, scopes: [...principal.scopes] },
    parents: [
      ...principal.roles.map((role) => ({ type: 'Gateway::Role', id: role })),
      ...principal.teams.map((team) => ({ type: 'Gateway::Team', id: team })),
    ],
  };
}

function resourceEntity(resource: PolicyResource): EntityJson {
  if (resource.kind === 'server') {
    return { uid: resourceUid(resource), attrs: { name: resource.server }, parents: [] };
  }
  const attrs: Record<string, CedarValueJson> = { server: resource.server, name: resource.name };
  if (resource.kind === 'tool' && resource.readOnly !== undefined) attrs['readOnly'] = resource.readOnly;
  if (resource.kind === 'tool' && resource.destructive !== undefined)
    attrs['destructive'] = resource.destructive;
  return {
    uid: resourceUid(resource),
    attrs,
    parents: [{ type: resourceTypes.server, id: resource.server }],
  };
}

export function requestEntities(
  principal: Principal,
  action: string,
  resource: PolicyResource,
): EntityJson[] {
  return [principalEntity(principal), resourceEntity(resource), ...actionEntities(action)];
}

/**
 * Cedar's ip() takes neither an IPv4 address mapped into IPv6 (how a dual-stack socket reports an
 * IPv4 client) nor a zone id; an address it still cannot read is left out of the context.
 */
function cedarAddress(address: string | undefined): string | undefined {
  if (!address) return undefined;
  const plain = address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '').replace(/%.*$/, '');
  return isIP(plain) ? plain : undefined;
}

/** The context of a request; `toolArguments` is already in Cedar's form (or an unknown). */
export function requestContext(context: DecisionContext, toolArguments?: CedarValueJson): Context {
  const now = context.now ?? new Date();
  const address = cedarAddress(context.clientAddress);
  return {
    time: { __extn: { fn: 'datetime', arg: now.toISOString() } },
    hourOfDay: now.getUTCHours(),
    dayOfWeek: now.getUTCDay() === 0 ? 7 : now.getUTCDay(),
    ...(address ? { clientAddress: { __extn: { fn: 'ip', arg: address } } } : {}),
    ...(context.sessionId !== undefined ? { sessionId: context.sessionId } : {}),
    ...(context.view !== undefined ? { view: context.view } : {}),
    ...(toolArguments !== undefined ? { arguments: toolArguments } : {}),
  };
}
