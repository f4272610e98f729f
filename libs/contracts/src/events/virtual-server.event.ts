import { z } from 'zod';
import { defineEvent } from './event-definition';
import { Topics } from './topics';

/** The rule server names follow too: part of an endpoint path and of the names agents see. */
const exposedName = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

const serverReference = exposedName.describe('Name (not id) of an upstream server of the catalog');

export const VirtualServerToolSchema = z.object({
  server: serverReference,
  name: z.string().min(1).describe("The tool's name on its upstream server"),
  alias: exposedName.optional().describe('The name agents see instead, used as is (never prefixed)'),
  description: z.string().optional().describe("Replaces the upstream tool's description"),
});

export const VirtualServerResourceSchema = z.object({
  server: serverReference,
  uri: z.string().min(1).describe("The resource's URI on its upstream server"),
});

export const VirtualServerPromptSchema = z.object({
  server: serverReference,
  name: z.string().min(1).describe("The prompt's name on its upstream server"),
  alias: exposedName.optional().describe('The name agents see instead, used as is (never prefixed)'),
  description: z.string().optional().describe("Replaces the upstream prompt's description"),
});

/**
 * A chosen subset of the catalog served on its own endpoint. Absent and empty lists mean the
 * same. A tool or prompt of a server listed whole in `servers` may be listed again in `tools` or
 * `prompts` to alias or re-describe it; it is then exposed once, as that entry says.
 */
export const VirtualServerDefinitionSchema = z.object({
  name: exposedName.describe('Identifies the virtual server; its endpoint is /servers/{name}/mcp'),
  description: z.string().optional(),
  servers: z
    .array(serverReference)
    .optional()
    .describe('Servers whose tools, resources and prompts are all included'),
  tools: z.array(VirtualServerToolSchema).optional(),
  resources: z.array(VirtualServerResourceSchema).optional(),
  prompts: z.array(VirtualServerPromptSchema).optional(),
  revision: z
    .number()
    .int()
    .nonnegative()
    .describe('Incremented on every change; consumers ignore records older than what they hold'),
});

export type VirtualServerDefinitionValue = z.infer<typeof VirtualServerDefinitionSchema>;

/** The record's value is the virtual server's current definition; a tombstone removes it. */
export const VirtualServerRecordSchema = z
  .object({
    virtualServer: VirtualServerDefinitionSchema,
    changedAt: z.iso.datetime(),
  })
  .describe('Latest definition of one virtual server (compacted; a tombstone removes it)');

export const VirtualServerRecord = defineEvent({
  topic: Topics.virtualServers,
  version: 1,
  schema: VirtualServerRecordSchema,
  key: (record) => record.virtualServer.name,
  description:
    'Latest definition of one virtual server (a subset of the catalog with aliases), keyed by its ' +
    'name; a tombstone removes it.',
  example: {
    virtualServer: {
      name: 'support',
      description: 'What the support agents may use',
      servers: ['tickets'],
      tools: [{ server: 'everything', name: 'echo', alias: 'say', description: 'Repeats the message back' }],
      resources: [{ server: 'everything', uri: 'demo://resource/static/document/architecture.md' }],
      prompts: [{ server: 'everything', name: 'simple-prompt' }],
      revision: 3,
    },
    changedAt: '2026-11-21T10:00:00.000Z',
  },
});

export type VirtualServerRecordValue = z.infer<typeof VirtualServerRecordSchema>;
