import { readFileSync } from 'node:fs';
import { loadEnvConfig } from '@gateway/platform';
import { z } from 'zod';
import { EnvelopeCipher } from './envelope-cipher';

const keyForm = 'expected 32 bytes as 64 hex digits or base64';

function parseKey(value: string): Buffer | undefined {
  const trimmed = value.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : Buffer.from(trimmed, 'base64');
  return key.length === 32 ? key : undefined;
}

const masterKeyText = z.string().transform((value, context) => {
  const key = parseKey(value);
  if (!key) {
    context.addIssue({ code: 'custom', message: keyForm });
    return z.NEVER;
  }
  return key;
});

const masterKeyEnvSchema = z.object({
  GATEWAY_MASTER_KEY: masterKeyText.optional(),
  GATEWAY_MASTER_KEY_FILE: z
    .string()
    .min(1)
    .optional()
    .transform((path, context) => {
      if (path === undefined) return undefined;
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch (error) {
        context.addIssue({ code: 'custom', message: `cannot read ${path}: ${(error as Error).message}` });
        return z.NEVER;
      }
      const key = parseKey(text);
      if (!key) {
        context.addIssue({ code: 'custom', message: `${path}: ${keyForm}` });
        return z.NEVER;
      }
      return key;
    }),
  GATEWAY_MASTER_KEY_PREVIOUS: z
    .string()
    .optional()
    .transform((value, context) => {
      const keys: Buffer[] = [];
      for (const item of (value ?? '').split(',').filter((part) => part.trim())) {
        const key = parseKey(item);
        if (!key) {
          context.addIssue({ code: 'custom', message: `${keyForm}, comma-separated` });
          return z.NEVER;
        }
        keys.push(key);
      }
      return keys;
    }),
});

/**
 * The master key that seals stored secrets (upstream credentials, signing keys), from
 * GATEWAY_MASTER_KEY or the file GATEWAY_MASTER_KEY_FILE names; GATEWAY_MASTER_KEY_PREVIOUS
 * lists retired keys that still open what they sealed. Undefined when none is configured.
 */
export function loadMasterKeyCipher(env: NodeJS.ProcessEnv = process.env): EnvelopeCipher | undefined {
  const parsed = loadEnvConfig(masterKeyEnvSchema, env);
  const current = parsed.GATEWAY_MASTER_KEY ?? parsed.GATEWAY_MASTER_KEY_FILE;
  return current ? new EnvelopeCipher(current, parsed.GATEWAY_MASTER_KEY_PREVIOUS) : undefined;
}

export const MASTER_KEY_CIPHER = Symbol('MASTER_KEY_CIPHER');
