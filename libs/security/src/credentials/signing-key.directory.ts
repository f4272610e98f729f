import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { SigningKeyRecord } from '@gateway/contracts';
import { createLogger, EVENT_BUS, type EventBus, type Subscription } from '@gateway/platform';
import { SECURITY_CONFIG, type SecurityConfig } from './security-config';
import { followStateTopic } from './state-topic.follower';

export interface IssuerKey {
  readonly kid: string;
  readonly issuer: string;
  readonly algorithm: string;
  readonly key: KeyObject;
  readonly expiresAtMs: number;
}

/**
 * The built-in issuer's public keys, held in memory: auth publishes each live key on the
 * compacted signing-keys topic, so verifying a token never needs a request to auth. A rotated
 * key arrives before any token it signs is issued; an expired key's tombstone removes it.
 */
@Injectable()
export class SigningKeyDirectory implements OnModuleInit, OnModuleDestroy {
  private readonly logger = createLogger('signing-keys');
  private readonly keys = new Map<string, IssuerKey>();
  private subscription: Subscription | undefined;

  constructor(
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    @Inject(SECURITY_CONFIG) private readonly config: SecurityConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    this.subscription = await followStateTopic(
      this.bus,
      SigningKeyRecord,
      `${this.config.instanceId}-signing-keys`,
      (kid, record) => {
        if (!record) {
          this.keys.delete(kid);
          return;
        }
        try {
          this.keys.set(kid, {
            kid,
            issuer: record.issuer.replace(/\/$/, ''),
            algorithm: record.alg,
            key: createPublicKey({ key: record.publicJwk as JsonWebKey, format: 'jwk' }),
            expiresAtMs: Date.parse(record.expiresAt),
          });
        } catch (error) {
          this.logger.error({ err: error, kid }, 'a published signing key is not a usable public key');
        }
      },
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.subscription?.close();
  }

  /** The live key with this id, or undefined (unknown, or past its expiry). */
  keyFor(kid: string): IssuerKey | undefined {
    const key = this.keys.get(kid);
    return key && key.expiresAtMs > Date.now() ? key : undefined;
  }

  get size(): number {
    return this.keys.size;
  }
}
