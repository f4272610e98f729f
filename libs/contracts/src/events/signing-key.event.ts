import { z } from 'zod';
import { defineEvent } from './event-definition';
import { Topics } from './topics';

export const SigningKeySchema = z
  .object({
    kid: z.string().min(1),
    issuer: z.url().describe('The iss of the tokens this key signs'),
    alg: z.enum(['ES256', 'RS256']),
    publicJwk: z
      .record(z.string(), z.unknown())
      .describe('The public key as a JSON Web Key (RFC 7517), as published at the JWKS endpoint'),
    createdAt: z.iso.datetime(),
    retiresAt: z.iso.datetime().describe('Signs no new token after this; verification goes on'),
    expiresAt: z.iso.datetime().describe('No token it signed is valid after this; verifiers forget it'),
  })
  .describe('A public key of the built-in token issuer (compacted; a tombstone removes it)');

export const SigningKeyRecord = defineEvent({
  topic: Topics.signingKeys,
  version: 1,
  schema: SigningKeySchema,
  key: (key) => key.kid,
  description:
    'A public key of the built-in issuer, keyed by kid, so every verifier holds the keys in memory; a tombstone removes it.',
  example: {
    kid: 'k-2026-11-21-6f1c',
    issuer: 'http://127.0.0.1:8080',
    alg: 'ES256',
    publicJwk: {
      kty: 'EC',
      crv: 'P-256',
      x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
      y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
      kid: 'k-2026-11-21-6f1c',
      use: 'sig',
      alg: 'ES256',
    },
    createdAt: '2026-11-21T10:00:00.000Z',
    retiresAt: '2026-11-22T10:00:00.000Z',
    expiresAt: '2026-11-22T11:00:00.000Z',
  },
});

export type SigningKeyValue = z.infer<typeof SigningKeySchema>;
