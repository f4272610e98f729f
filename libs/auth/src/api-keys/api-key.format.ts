import { randomBytes } from 'node:crypto';

/** `mgw_` and 32 random bytes in base64url (43 characters): recognisable to secret scanners. */
export const apiKeyPattern = /^mgw_[A-Za-z0-9_-]{43}$/;

/** Characters of a key kept in the clear so an operator can tell keys apart in a listing. */
const prefixLength = 12;

export function generateApiKey(): string {
  return `mgw_${randomBytes(32).toString('base64url')}`;
}

/** The non-secret start of a key (`mgw_` and 8 characters): 48 bits say nothing useful to a guesser. */
export function apiKeyPrefix(apiKey: string): string {
  return apiKey.slice(0, prefixLength);
}
