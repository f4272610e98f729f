import { randomBytes } from 'node:crypto';
import type { SealedBox } from './sealed-box';

/** What a downstream session id carries, so any ingress replica can serve the session. */
export interface SessionClaims {
  /** Random identity of the session: what revocation and the upstream session key use. */
  readonly sid: string;
  /** Negotiated protocol version. */
  readonly pv: string;
  /** The client's capabilities from initialize. */
  readonly caps: Record<string, unknown>;
  /** The client's name and version from initialize. */
  readonly info?: { name: string; version: string };
  /** The virtual server the session was opened on; absent for the whole catalog. */
  readonly view?: string;
  /** Issued at, epoch milliseconds. */
  readonly iat: number;
  /** The principal that opened the session: only it may use the session (no hijacking by id). */
  readonly prn?: string;
  /** The principal's tenant. */
  readonly tnt?: string;
}

const purpose = 's1';

export function newSessionIdentity(): string {
  return randomBytes(16).toString('base64url');
}

export function sealSession(box: SealedBox, claims: SessionClaims): string {
  return box.seal(purpose, claims);
}

/** The claims of a session id this gateway issued, or undefined for any other string. */
export function openSession(box: SealedBox, sessionId: string): SessionClaims | undefined {
  const claims = box.open<SessionClaims>(purpose, sessionId);
  return claims && typeof claims.sid === 'string' && typeof claims.pv === 'string' ? claims : undefined;
}
