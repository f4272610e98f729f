/**
 * The Cedar schema every tenant's policies are validated against (namespace Gateway).
 *
 * Tool arguments are deliberately not declared: they are arbitrary JSON, and cedar-wasm 4.13
 * validates in strict mode only and cannot declare open records (`additionalAttributes` needs the
 * `partial-validate` feature the package is built without). validatePolicies therefore accepts
 * exactly the validator's "attribute `arguments` not found" errors on `context.arguments...`,
 * and the engine evaluates without the schema, building typed values itself. See policy.validator.ts.
 */
export const gatewayCedarSchema = `namespace Gateway {
  @doc("A role the principal's credential names, e.g. Role::\\"developer\\"")
  entity Role;
  @doc("A team of the principal, e.g. Team::\\"platform\\"")
  entity Team in [Role];

  @doc("A person; the id is the principal id, e.g. User::\\"user:alice@example.com\\"")
  entity User in [Team, Role] { tenant: String, kind: String, scopes: Set<String> };
  @doc("An AI agent, e.g. Agent::\\"agent:build-bot\\"")
  entity Agent in [Team, Role] { tenant: String, kind: String, scopes: Set<String> };
  @doc("A workload calling on its own behalf")
  entity ServiceAccount in [Team, Role] { tenant: String, kind: String, scopes: Set<String> };

  @doc("An upstream MCP server, by its catalog name")
  entity Server { name: String };
  @doc("Tool::\\"<server>/<tool name upstream>\\"; readOnly and destructive from the tool's annotations when it has them")
  entity Tool in [Server] { server: String, name: String, readOnly?: Bool, destructive?: Bool };
  @doc("Resource::\\"<server>/<uri>\\"")
  entity Resource in [Server] { server: String, name: String };
  @doc("Prompt::\\"<server>/<prompt name>\\"")
  entity Prompt in [Server] { server: String, name: String };

  @doc("time is UTC; hourOfDay 0-23 and dayOfWeek 1 (Monday) - 7 (Sunday) in UTC. Tool calls also carry context.arguments, the call's arguments (not declared: arbitrary JSON)")
  type RequestContext = {
    time: datetime,
    hourOfDay: Long,
    dayOfWeek: Long,
    clientAddress?: ipaddr,
    sessionId?: String,
    view?: String
  };

  @doc("Everything an agent does with a server: view plus tools/call and completion/complete")
  action "use";
  @doc("Lists, resources/read and prompts/get")
  action "view" in ["use"];
  @doc("tools/list, resources/list and prompts/list, evaluated per listed item")
  action "list" in ["view"];

  action "tools/call" in ["use"]
    appliesTo { principal: [User, Agent, ServiceAccount], resource: [Tool], context: RequestContext };
  action "tools/list" in ["list"]
    appliesTo { principal: [User, Agent, ServiceAccount], resource: [Tool], context: RequestContext };
  action "resources/read" in ["view"]
    appliesTo { principal: [User, Agent, ServiceAccount], resource: [Resource], context: RequestContext };
  action "resources/list" in ["list"]
    appliesTo { principal: [User, Agent, ServiceAccount], resource: [Resource], context: RequestContext };
  action "prompts/get" in ["view"]
    appliesTo { principal: [User, Agent, ServiceAccount], resource: [Prompt], context: RequestContext };
  action "prompts/list" in ["list"]
    appliesTo { principal: [User, Agent, ServiceAccount], resource: [Prompt], context: RequestContext };
  action "completion/complete" in ["use"]
    appliesTo { principal: [User, Agent, ServiceAccount], resource: [Server], context: RequestContext };
}
`;
