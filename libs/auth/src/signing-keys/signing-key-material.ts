import {
  createHash,
  createPublicKey,
  createPrivateKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import type { EnvelopeCipher } from '@gateway/security';
import type { KeySchedule, NewKeyTimes } from './rotation-plan';

export interface StoredSigningKey extends KeySchedule {
  readonly alg: 'ES256';
  /** The public key as published in the JWKS: kty, crv, x, y, kid, use, alg. */
  readonly publicJwk: Record<string, string>;
  readonly sealedPrivateKey: string;
}

/** What a sealed private key is bound to: a sealed key copied onto another row does not open. */
function sealingContext(kid: string): string {
  return `signing-key:${kid}`;
}

/** RFC 7638 thumbprint: the kid is derived from the key, so it names this key and no other. */
export function jwkThumbprint(jwk: { crv?: string; kty?: string; x?: string; y?: string }): string {
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
  return createHash('sha256').update(canonical).digest('base64url');
}

/** A fresh ES256 (P-256) key pair, its private half sealed with the master key. */
export function generateSigningKey(cipher: EnvelopeCipher, times: NewKeyTimes): StoredSigningKey {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' });
  const kid = jwkThumbprint(jwk);
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  return {
    kid,
    alg: 'ES256',
    publicJwk: { kty: jwk.kty!, crv: jwk.crv!, x: jwk.x!, y: jwk.y!, kid, use: 'sig', alg: 'ES256' },
    sealedPrivateKey: cipher.encrypt(pem, sealingContext(kid)),
    ...times,
  };
}

export function openPrivateKey(cipher: EnvelopeCipher, key: StoredSigningKey): KeyObject {
  return createPrivateKey(cipher.decrypt(key.sealedPrivateKey, sealingContext(key.kid)));
}

export function publicKeyOf(key: Pick<StoredSigningKey, 'publicJwk'>): KeyObject {
  const { kty, crv, x, y } = key.publicJwk;
  return createPublicKey({ key: { kty, crv, x, y }, format: 'jwk' });
}
