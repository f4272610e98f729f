import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const algorithm = 'aes-256-gcm';
const ivBytes = 12;
const tagBytes = 16;
const version = 'v1';

/** A secret could not be decrypted: wrong master key, altered text, or another context. */
export class EnvelopeDecryptionError extends Error {
  constructor(reason: string) {
    super(`cannot decrypt the secret: ${reason}`);
    this.name = 'EnvelopeDecryptionError';
  }
}

/** The id a master key is known by in the sealed text: the start of its SHA-256. */
export function masterKeyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 12);
}

function seal(key: Buffer, plaintext: Buffer, aad: Buffer): Buffer {
  const iv = randomBytes(ivBytes);
  const cipher = createCipheriv(algorithm, key, iv);
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

function open(key: Buffer, sealed: Buffer, aad: Buffer): Buffer {
  if (sealed.length < ivBytes + tagBytes) throw new EnvelopeDecryptionError('too short');
  const decipher = createDecipheriv(algorithm, key, sealed.subarray(0, ivBytes));
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.subarray(ivBytes, ivBytes + tagBytes));
  try {
    return Buffer.concat([decipher.update(sealed.subarray(ivBytes + tagBytes)), decipher.final()]);
  } catch {
    throw new EnvelopeDecryptionError('authentication failed (altered, or sealed for another context)');
  }
}

/**
 * Envelope encryption with AES-256-GCM: every secret gets its own random data key, the data key
 * is sealed with the master key, and both are bound to a context (what the secret belongs to),
 * so a sealed value copied onto another record does not open. The text names the master key
 * that sealed it: older master keys given as `previous` still open what they sealed, and
 * `needsResealing` tells which values to seal again after a rotation.
 */
export class EnvelopeCipher {
  private readonly keys = new Map<string, Buffer>();
  private readonly currentId: string;

  constructor(current: Buffer, previous: readonly Buffer[] = []) {
    for (const key of [current, ...previous]) {
      if (key.length !== 32) throw new Error('a master key is 32 bytes');
      this.keys.set(masterKeyId(key), key);
    }
    this.currentId = masterKeyId(current);
  }

  encrypt(plaintext: string, context: string): string {
    const aad = Buffer.from(context, 'utf8');
    const dataKey = randomBytes(32);
    const wrapped = seal(this.keys.get(this.currentId)!, dataKey, aad);
    const body = seal(dataKey, Buffer.from(plaintext, 'utf8'), aad);
    return [version, this.currentId, wrapped.toString('base64url'), body.toString('base64url')].join('.');
  }

  decrypt(sealed: string, context: string): string {
    const [textVersion, keyId, wrapped, body, ...rest] = sealed.split('.');
    if (textVersion !== version || !keyId || !wrapped || !body || rest.length > 0) {
      throw new EnvelopeDecryptionError('not a sealed secret of this gateway');
    }
    const masterKey = this.keys.get(keyId);
    if (!masterKey)
      throw new EnvelopeDecryptionError(`sealed with master key ${keyId}, which is not configured`);
    const aad = Buffer.from(context, 'utf8');
    const dataKey = open(masterKey, Buffer.from(wrapped, 'base64url'), aad);
    return open(dataKey, Buffer.from(body, 'base64url'), aad).toString('utf8');
  }

  /** Whether the value was sealed with a master key other than the current one. */
  needsResealing(sealed: string): boolean {
    return sealed.split('.')[1] !== this.currentId;
  }
}
