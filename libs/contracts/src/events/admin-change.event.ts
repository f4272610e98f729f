import { z } from 'zod';
import { defineEvent } from './event-definition';
import { Topics } from './topics';

export const AdminChangeSchema = z
  .object({
    eventId: z.uuid(),
    occurredAt: z.iso.datetime(),
    actor: z.string().min(1).describe('Who made the change; "config" for declarative config at start'),
    entityType: z.enum([
      'server',
      'virtual-server',
      'policy',
      'api-key',
      'identity',
      'signing-key',
      'server-credential',
      'tool-pin',
    ]),
    entityId: z.string().min(1),
    action: z.enum(['created', 'updated', 'deleted', 'revoked', 'approved', 'rotated']),
    revision: z.number().int().nonnegative().optional(),
  })
  .describe('Who changed which server, policy or key');

export const AdminChange = defineEvent({
  topic: Topics.adminChanges,
  version: 1,
  schema: AdminChangeSchema,
  key: (change) => change.entityId,
  description: 'Who changed which server, policy or key, keyed by the entity id.',
  example: {
    eventId: '0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5',
    occurredAt: '2026-11-21T10:00:00.000Z',
    actor: 'config',
    entityType: 'server',
    entityId: 'everything',
    action: 'created',
    revision: 1,
  },
});

export type AdminChangeValue = z.infer<typeof AdminChangeSchema>;
