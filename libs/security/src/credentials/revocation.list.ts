import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { RevocationRecord } from '@gateway/contracts';
import { EVENT_BUS, type EventBus, type Subscription } from '@gateway/platform';
import { SECURITY_CONFIG, type SecurityConfig } from './security-config';
import { followStateTopic } from './state-topic.follower';

/** How often revocations of credentials that have expired anyway are forgotten. */
const purgeIntervalMs = 60_000;

/**
 * Revoked API keys and tokens, held in memory by every process that verifies credentials. auth
 * publishes each revocation on the compacted revocations topic; every replica follows it with a
 * group of its own, so a key revoked through any replica is refused by all within the time the
 * broker takes to deliver one record.
 */
@Injectable()
export class RevocationList implements OnModuleInit, OnModuleDestroy {
  /** Credential id → when it would have expired anyway (Infinity when never). */
  private readonly revoked = new Map<string, number>();
  private readonly listeners = new Set<(credentialId: string) => void>();
  private subscription: Subscription | undefined;
  private purgeTimer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    @Inject(SECURITY_CONFIG) private readonly config: SecurityConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    this.subscription = await followStateTopic(
      this.bus,
      RevocationRecord,
      `${this.config.instanceId}-revocations`,
      (credentialId, record) => {
        if (!record) {
          this.revoked.delete(credentialId);
          return;
        }
        this.revoked.set(credentialId, record.expiresAt ? Date.parse(record.expiresAt) : Infinity);
        for (const listener of this.listeners) listener(credentialId);
      },
    );
    this.purgeTimer = setInterval(() => this.purge(), purgeIntervalMs);
    this.purgeTimer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.purgeTimer);
    await this.subscription?.close();
  }

  isRevoked(credentialId: string): boolean {
    return this.revoked.has(credentialId);
  }

  /** Called with the id of every credential revoked from now on. */
  onRevoked(listener: (credentialId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private purge(): void {
    const now = Date.now();
    for (const [id, expiresAtMs] of this.revoked) if (expiresAtMs < now) this.revoked.delete(id);
  }
}
