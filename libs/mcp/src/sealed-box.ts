import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const ivBytes = 12;
const tagBytes = 16;

/**
 * Seals small JSON values into opaque tokens with AES-256-GCM under a raw 32-byte key: the
 * token is confidential and tamper-proof, and opening it costs one cipher pass, no key
 * derivation. A token is `<purpose>.` + base64url(iv | ciphertext | tag); the purpose is bound
 * as associated data, so a token minted for one use never opens as another. Visible ASCII
 * only, as HTTP headers and the Streamable HTTP session id require.
 */
export class SealedBox {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('the sealing key must be 32 bytes');
  }

  seal(purpose: string, value: unknown): string {
    const iv = randomBytes(ivBytes);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(purpose));
    const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return `${purpose}.${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')}`;
  }

  /** The value sealed for this purpose under this key, or undefined for anything else. */
  open<T>(purpose: string, token: string): T | undefined {
    if (!token.startsWith(`${purpose}.`)) return undefined;
    const raw = Buffer.from(token.slice(purpose.length + 1), 'base64url');
    if (raw.length <= ivBytes + tagBytes) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, ivBytes));
      decipher.setAAD(Buffer.from(purpose));
      decipher.setAuthTag(raw.subarray(raw.length - tagBytes));
      const text = Buffer.concat([
        decipher.update(raw.subarray(ivBytes, raw.length - tagBytes)),
        decipher.final(),
      ]).toString('utf8');
      return JSON.parse(text) as T;
    } catch {
      return undefined;
    }
  }
}
