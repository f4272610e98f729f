import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import type { KeyObject } from 'node:crypto';
import { RevocationRecord, SigningKeyRecord } from '@gateway/contracts';
import {
  createLogger,
  errorMessage,
  EVENT_BUS,
  type EventBus,
  publishEvent,
  publishTombstone,
  ReadinessRegistry,
  retryUntilDone,
} from '@gateway/platform';
import { type EnvelopeCipher, MASTER_KEY_CIPHER } from '@gateway/security';
import { recordAdminChange, systemActor } from '../admin-change.recorder';
import { AUTH_CONFIG, type AuthConfig } from '../auth-config';
import { type RevokedToken, RevokedTokenRepository } from '../tokens/revoked-token.repository';
import { SigningKeyUnavailableError } from './signing-key.errors';
import {
  generateSigningKey,
  openPrivateKey,
  publicKeyOf,
  type StoredSigningKey,
} from './signing-key-material';
import { SigningKeyRepository } from './signing-key.repository';
import { liveAt, nextReviewAt, planRotation, type RotationTimings, signerAt } from './rotation-plan';

/** Reviews run at least this often, so keys another replica made reach this one's JWKS soon. */
const maxReviewDelayMs = 30_000;
const minReviewDelayMs = 50;

interface ReviewOutcome {
  readonly created?: StoredSigningKey;
  readonly retired: readonly StoredSigningKey[];
  readonly dropped: readonly string[];
  readonly expiredRevocations: readonly RevokedToken[];
  readonly live: readonly StoredSigningKey[];
}

export interface Signer {
  readonly key: StoredSigningKey;
  readonly privateKey: KeyObject;
}

/**
 * The issuer's signing keys: makes the first at start, rotates on schedule (one replica at a time,
 * under an advisory lock) or on an admin's request, publishes every live key on the compacted
 * signing-keys topic and a tombstone for each expired one. Signing reads the database, so a key
 * another replica rotated in is used at once; the JWKS is served from memory.
 */
@Injectable()
export class SigningKeysService implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = createLogger('signing-keys');
  private readonly timings: RotationTimings;
  private readonly privateKeys = new Map<string, KeyObject>();
  private snapshot: readonly StoredSigningKey[] = [];
  private ready = false;
  private stopped = false;
  private lastError = '';
  private timer?: NodeJS.Timeout;
  /** One review at a time in this process; the advisory lock orders them across replicas. */
  private reviews: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly repository: SigningKeyRepository,
    private readonly revokedTokens: RevokedTokenRepository,
    private readonly readiness: ReadinessRegistry,
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
    @Inject(MASTER_KEY_CIPHER) private readonly cipher: EnvelopeCipher,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
  ) {
    this.timings = { rotationMs: config.signingKeyRotationMs, tokenTtlMs: config.tokenTtlMs };
  }

  onModuleInit(): void {
    this.readiness.register('auth-signing-keys', () => ({
      ready: this.ready,
      detail: this.ready ? `${this.snapshot.length} live signing keys` : `preparing ${this.lastError}`.trim(),
    }));
  }

  onApplicationBootstrap(): void {
    void this.start();
  }

  onModuleDestroy(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** Retires every key now and signs with a new one; the old stay verifiable for a token lifetime. */
  async rotate(actor: string): Promise<StoredSigningKey> {
    const outcome = await this.review(true, actor);
    return outcome.created!;
  }

  /** The key that signs now, with its private half. */
  async signer(now: Date): Promise<Signer> {
    const key = signerAt(await this.repository.live(now), now);
    if (!key) throw new SigningKeyUnavailableError();
    let privateKey = this.privateKeys.get(key.kid);
    if (!privateKey) {
      privateKey = openPrivateKey(this.cipher, key);
      this.privateKeys.set(key.kid, privateKey);
    }
    return { key, privateKey };
  }

  /** The public key of a live key, for verifying a token this issuer signed. */
  async verificationKey(kid: string, now: Date): Promise<KeyObject | undefined> {
    const key = (await this.repository.live(now)).find((candidate) => candidate.kid === kid);
    return key && publicKeyOf(key);
  }

  /** The keys the JWKS lists: every key a token in circulation may have been signed with. */
  liveKeys(now: Date): StoredSigningKey[] {
    return liveAt(this.snapshot, now);
  }

  private async start(): Promise<void> {
    const reviewed = await retryUntilDone(() => this.review(false, systemActor).then(() => undefined), {
      stopped: () => this.stopped,
      onFailure: (error, attempt) => {
        this.lastError = errorMessage(error);
        this.logger.warn({ err: error, attempt }, 'signing key review failed; retrying');
      },
    });
    if (!reviewed) return;
    // Republished at every start: the topic may have lost records the database still has.
    for (const key of this.snapshot) this.publishKey(key);
    this.ready = true;
    this.logger.info({ keys: this.snapshot.map((key) => key.kid) }, 'signing keys ready');
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped) return;
    const now = new Date();
    const due = nextReviewAt(this.snapshot, now, this.timings).getTime() - now.getTime();
    this.timer = setTimeout(
      () => void this.tick(),
      Math.min(Math.max(due, minReviewDelayMs), maxReviewDelayMs),
    );
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    try {
      await this.review(false, systemActor);
    } catch (error) {
      this.logger.warn({ err: error }, 'signing key review failed; trying again later');
    }
    this.schedule();
  }

  private review(force: boolean, actor: string): Promise<ReviewOutcome> {
    const run = this.reviews.then(() => this.reviewOnce(force, actor));
    this.reviews = run.catch(() => undefined);
    return run;
  }

  private async reviewOnce(force: boolean, actor: string): Promise<ReviewOutcome> {
    const outcome = await this.repository.locked(async (keys): Promise<ReviewOutcome> => {
      // Read the clock once the lock is held: waiting for the database or another replica takes time.
      const now = new Date();
      const all = await keys.all();
      const plan = planRotation(all, now, this.timings, force);
      for (const key of plan.retire) await keys.reschedule(key);
      await keys.delete(plan.drop);
      const created = plan.create && generateSigningKey(this.cipher, plan.create);
      if (created) await keys.insert(created);
      const expiredRevocations = await this.revokedTokens.dropExpired(keys.manager, now);
      const kept = all
        .filter((key) => !plan.drop.includes(key.kid))
        .map((key) => plan.retire.find((retired) => retired.kid === key.kid) ?? key);
      const live = liveAt(created ? [...kept, created] : kept, now);
      return { created, retired: plan.retire, dropped: plan.drop, expiredRevocations, live };
    });
    this.snapshot = outcome.live;
    for (const kid of this.privateKeys.keys()) {
      if (!outcome.live.some((key) => key.kid === kid)) this.privateKeys.delete(kid);
    }
    this.announce(outcome, force, actor);
    return outcome;
  }

  /** Publishes what the committed review changed. */
  private announce(outcome: ReviewOutcome, force: boolean, actor: string): void {
    for (const key of outcome.retired) this.publishKey(key);
    if (outcome.created) {
      this.publishKey(outcome.created);
      recordAdminChange(this.bus, {
        actor,
        entityType: 'signing-key',
        entityId: outcome.created.kid,
        action: force ? 'rotated' : 'created',
      });
      this.logger.info({ kid: outcome.created.kid, forced: force }, 'signing key created');
    }
    for (const kid of outcome.dropped) {
      publishTombstone(this.bus, SigningKeyRecord, kid);
      recordAdminChange(this.bus, {
        actor: systemActor,
        entityType: 'signing-key',
        entityId: kid,
        action: 'deleted',
      });
    }
    // A revoked token past its expiry is rejected anyway; its record need not stay in every verifier.
    for (const token of outcome.expiredRevocations) publishTombstone(this.bus, RevocationRecord, token.jti);
  }

  private publishKey(key: StoredSigningKey): void {
    publishEvent(this.bus, SigningKeyRecord, {
      kid: key.kid,
      issuer: this.config.issuer,
      alg: key.alg,
      publicJwk: key.publicJwk,
      createdAt: key.createdAt.toISOString(),
      retiresAt: key.retiresAt.toISOString(),
      expiresAt: key.expiresAt.toISOString(),
    });
  }
}
