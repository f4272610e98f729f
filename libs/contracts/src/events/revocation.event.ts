import { z } from 'zod';
import { defineEvent } from './event-definition';
import { Topics } from './topics';

export const RevocationSchema = z
  .object({
    credentialId: z.string().min(1).describe('API key id or token id (jti)'),
    kind: z.enum(['api-key', 'token']),
    tenant: z.string().min(1),
    revokedAt: z.iso.datetime(),
    expiresAt: z.iso.datetime().optional().describe('After this the credential is invalid anyway'),
  })
  .describe('A revoked credential (compacted)');

export const RevocationRecord = defineEvent({
  topic: Topics.revocations,
  version: 1,
  schema: RevocationSchema,
  key: (revocation) => revocation.credentialId,
  description: 'A revoked API key or token, keyed by its id.',
  example: {
    credentialId: 'key_01HZX3',
    kind: 'api-key',
    tenant: 'default',
    revokedAt: '2026-11-21T10:00:00.000Z',
  },
});

export type RevocationValue = z.infer<typeof RevocationSchema>;
