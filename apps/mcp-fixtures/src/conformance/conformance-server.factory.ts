import { randomBytes } from 'node:crypto';
import {
  createRequestStateCodec,
  McpServer,
  type McpServerFactory,
  type ServerEventBus,
} from '@modelcontextprotocol/server';
import { registerClientInputTools } from './client-input.tools';
import { registerConformancePrompts } from './conformance.prompts';
import { registerConformanceResources, registerResourceSubscriptions } from './conformance.resources';
import { registerContentTools } from './content.tools';
import { registerDiagnosticTools } from './diagnostic.tools';
import { registerInputRequiredTools, type RoundState } from './input-required.tools';

export interface ConformanceServerOptions {
  /** The HTTP entry's change-event bus for subscriptions/listen; absent over stdio. */
  readonly events?: ServerEventBus;
}

/**
 * One definition of the conformance fixture for both protocol eras: the serving entries call the
 * factory once per 2026-07-28 request, once per 2025-era session (HTTP) or once per connection
 * (stdio), and every instance registers the same tools, resources and prompts.
 */
export function conformanceServerFactory(options: ConformanceServerOptions = {}): McpServerFactory {
  // One process serves every round of a multi-round trip, so a per-process key is enough.
  const requestState = createRequestStateCodec<RoundState>({ key: randomBytes(32) });
  return (context) => {
    const server = new McpServer(
      { name: 'mcp-gateway-conformance-fixture', version: '1.0.0' },
      {
        capabilities: {
          tools: { listChanged: true },
          prompts: { listChanged: true },
          resources: { subscribe: true, listChanged: true },
          completions: {},
          logging: {},
        },
        instructions: 'The MCP conformance suite fixture of the gateway project.',
        requestState: { verify: requestState.verify },
      },
    );
    registerContentTools(server);
    registerClientInputTools(server);
    registerInputRequiredTools(server, requestState);
    registerDiagnosticTools(server, { era: context.era, events: options.events });
    registerConformanceResources(server);
    registerConformancePrompts(server);
    if (context.era === 'legacy') registerResourceSubscriptions(server);
    return server;
  };
}
