import { createHash, randomBytes } from 'node:crypto';

/** Client secrets look different from API keys, so neither is mistaken for the other in a log. */
export function generateClientSecret(): string {
  return `mgwcs_${randomBytes(32).toString('base64url')}`;
}

/** 256 random bits need no slow hash; SHA-256 keeps the lookup one index probe. */
export function hashClientSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** The non-secret start of a secret (`mgwcs_` and 8 characters), to tell secrets apart in a listing. */
export function clientSecretPrefix(secret: string): string {
  return secret.slice(0, 14);
}
