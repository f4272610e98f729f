import type { Prompt, Resource, ResourceTemplate, Tool } from '@modelcontextprotocol/sdk/types.js';

/** What an upstream lists, one MCP list method each. */
export interface CatalogItems {
  tools: Tool;
  resources: Resource;
  resourceTemplates: ResourceTemplate;
  prompts: Prompt;
}

export type CatalogKind = keyof CatalogItems;

export const catalogKinds: readonly CatalogKind[] = ['tools', 'resources', 'resourceTemplates', 'prompts'];

/**
 * The kinds an MCP list_changed notification speaks for: one notification covers resources and
 * resource templates alike (there is no notifications/resources/templates/list_changed).
 */
export type ListChangedKind = 'tools' | 'resources' | 'prompts';

export const listChangedKinds: readonly ListChangedKind[] = ['tools', 'resources', 'prompts'];

export function listChangedKindOf(kind: CatalogKind): ListChangedKind {
  return kind === 'resourceTemplates' ? 'resources' : kind;
}

/** The catalog kinds one list_changed notification invalidates. */
export function catalogKindsOf(kind: ListChangedKind): readonly CatalogKind[] {
  return kind === 'resources' ? ['resources', 'resourceTemplates'] : [kind];
}

const notificationMethods: Record<ListChangedKind, string> = {
  tools: 'notifications/tools/list_changed',
  resources: 'notifications/resources/list_changed',
  prompts: 'notifications/prompts/list_changed',
};

/** The notification method that tells an agent the list of this kind changed. */
export function listChangedMethod(kind: ListChangedKind): string {
  return notificationMethods[kind];
}

/** The kind an upstream's list_changed notification is about, or undefined for any other method. */
export function listChangedKindOfMethod(method: string): ListChangedKind | undefined {
  return listChangedKinds.find((kind) => notificationMethods[kind] === method);
}
