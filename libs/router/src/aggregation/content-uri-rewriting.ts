import type {
  CallToolResult,
  ContentBlock,
  GetPromptResult,
  ReadResourceResult,
} from '@modelcontextprotocol/sdk/types.js';
import { exposeResourceUri } from './resource-uri-mapping';

/** How one server's resource URIs are exposed in one exposure (a view or the whole catalog). */
export interface ResourceUriScope {
  /** The server's label in exposed URIs ("gateway://<label>/..."). */
  readonly serverLabel: string;
  readonly prefixed: boolean;
}

function exposeUri(uri: string, scope: ResourceUriScope): string {
  return exposeResourceUri(scope.serverLabel, uri, scope.prefixed);
}

/** A content block with the URI of a resource link or embedded resource exposed; others as they are. */
export function exposeContentBlock(block: ContentBlock, scope: ResourceUriScope): ContentBlock {
  switch (block.type) {
    case 'resource_link':
      return { ...block, uri: exposeUri(block.uri, scope) };
    case 'resource':
      return { ...block, resource: { ...block.resource, uri: exposeUri(block.resource.uri, scope) } };
    case 'text':
    case 'image':
    case 'audio':
      return block;
  }
}

/**
 * A tools/call result as the agent sees it: resource links and embedded resources point at exposed
 * URIs, so the agent can read them back through the gateway. structuredContent is the tool's own
 * data, described by its outputSchema, and stays as it is.
 */
export function exposeCallToolResult(result: CallToolResult, scope: ResourceUriScope): CallToolResult {
  if (!scope.prefixed || !Array.isArray(result.content)) return result;
  return { ...result, content: result.content.map((block) => exposeContentBlock(block, scope)) };
}

export function exposeReadResourceResult(
  result: ReadResourceResult,
  scope: ResourceUriScope,
): ReadResourceResult {
  if (!scope.prefixed) return result;
  return {
    ...result,
    contents: result.contents.map((content) => ({ ...content, uri: exposeUri(content.uri, scope) })),
  };
}

export function exposeGetPromptResult(result: GetPromptResult, scope: ResourceUriScope): GetPromptResult {
  if (!scope.prefixed) return result;
  return {
    ...result,
    messages: result.messages.map((message) => ({
      ...message,
      content: exposeContentBlock(message.content, scope),
    })),
  };
}
