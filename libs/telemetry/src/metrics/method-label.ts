/**
 * The method names of the MCP revisions the gateway serves (2024-11-05 to 2026-07-28). The
 * method of a call event is whatever the agent sent, so it cannot become a label as it is: an
 * agent sending random method names would create a series per name in every scraper.
 */
const mcpMethods = new Set([
  'initialize',
  'ping',
  'server/discover',
  'subscriptions/listen',
  'tools/list',
  'tools/call',
  'resources/list',
  'resources/templates/list',
  'resources/read',
  'resources/subscribe',
  'resources/unsubscribe',
  'prompts/list',
  'prompts/get',
  'completion/complete',
  'logging/setLevel',
  'tasks/get',
  'tasks/result',
  'tasks/list',
  'tasks/cancel',
  'sampling/createMessage',
  'elicitation/create',
  'roots/list',
  'notifications/initialized',
  'notifications/cancelled',
  'notifications/progress',
  'notifications/message',
  'notifications/roots/list_changed',
  'notifications/tools/list_changed',
  'notifications/resources/list_changed',
  'notifications/resources/updated',
  'notifications/prompts/list_changed',
  'notifications/tasks/status',
  'notifications/elicitation/complete',
]);

/** The method label of a call: the MCP method, or "other" for a name MCP does not define. */
export function methodLabel(method: string): string {
  return mcpMethods.has(method) ? method : 'other';
}
