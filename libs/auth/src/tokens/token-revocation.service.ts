import { Inject, Injectable } from '@nestjs/common';
import { RevocationRecord } from '@gateway/contracts';
import { EVENT_BUS, type EventBus, publishEvent } from '@gateway/platform';
import { recordAdminChange } from '../admin-change.recorder';
import { RevokedTokenRepository } from './revoked-token.repository';

export interface TokenToRevoke {
  readonly jti: string;
  readonly tenant: string;
  readonly expiresAt: Date;
}

/**
 * Revokes tokens by jti until they expire: stored (token exchange must refuse them) and published
 * on the compacted revocations topic, from which every verifier rejects them without a lookup.
 */
@Injectable()
export class TokenRevocationService {
  constructor(
    private readonly revokedTokens: RevokedTokenRepository,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
  ) {}

  /** Returns false when the token had expired or was revoked already: nothing was published then. */
  async revoke(token: TokenToRevoke, adminActor?: string): Promise<boolean> {
    const revokedAt = new Date();
    if (token.expiresAt <= revokedAt) return false;
    if (!(await this.revokedTokens.insert({ ...token, revokedAt }))) return false;
    publishEvent(this.bus, RevocationRecord, {
      credentialId: token.jti,
      kind: 'token',
      tenant: token.tenant,
      revokedAt: revokedAt.toISOString(),
      expiresAt: token.expiresAt.toISOString(),
    });
    if (adminActor) {
      recordAdminChange(this.bus, {
        actor: adminActor,
        entityType: 'identity',
        entityId: `${token.tenant}/token:${token.jti}`,
        action: 'revoked',
      });
    }
    return true;
  }
}
