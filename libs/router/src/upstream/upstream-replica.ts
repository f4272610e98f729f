import type { Logger } from '@gateway/platform';
import { UpstreamClientSession, type SessionDependencies, type SessionSpec } from './upstream-client.session';
import { isSessionNotFound } from './upstream-errors';
import type { HealthCheckOptions } from './upstream-pool.options';
import type { UpstreamState } from './upstream-session';

/** What a replica needs from the server it belongs to. */
export interface ReplicaOwner {
  readonly server: string;
  readonly logger: Logger;
  readonly restartBackoff: { readonly initialMs: number; readonly maxMs: number };
  readonly healthCheck: HealthCheckOptions | undefined;
  readonly sharedSpec: SessionSpec;
  sessionDependencies(url: string | undefined): SessionDependencies;
  /**
   * Runs `work` as the gateway itself, whatever request caused it: a shared session belongs to
   * no caller, so it is opened (and carries its streams) with the gateway's own credentials.
   */
  asGateway<T>(work: () => Promise<T>): Promise<T>;
  recordError(message: string): void;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * One endpoint of a server (its stdio process, its URL or one of its replica URLs) with its
 * supervised shared session: when the connection goes away (a process exits, a server drops) it
 * reconnects with capped exponential backoff. Active health checks take the replica out of
 * rotation after consecutive failures and bring it back on the first success.
 */
export class UpstreamReplica {
  private shared: UpstreamClientSession | undefined;
  private currentState: UpstreamState = 'stopped';
  private failures = 0;
  private restartCount = 0;
  private lastErrorMessage = '';
  private restartTimer: NodeJS.Timeout | undefined;
  private healthTimer: NodeJS.Timeout | undefined;
  private healthFailures = 0;
  private ejected = false;
  private checking = false;
  private stopped = false;
  private renewing: Promise<UpstreamClientSession> | undefined;

  constructor(
    readonly url: string | undefined,
    private readonly owner: ReplicaOwner,
  ) {}

  get state(): UpstreamState {
    return this.currentState;
  }

  get restarts(): number {
    return this.restartCount;
  }

  get lastError(): string {
    return this.lastErrorMessage;
  }

  get inRotation(): boolean {
    return !this.ejected;
  }

  /** Connected and passing its health checks: requests may go here. */
  get available(): boolean {
    return this.currentState === 'ready' && !this.ejected && this.shared !== undefined;
  }

  get session(): UpstreamClientSession | undefined {
    return this.shared;
  }

  start(): void {
    this.stopped = false;
    void this.connect();
    const check = this.owner.healthCheck;
    if (check) {
      this.healthTimer = setInterval(() => void this.checkHealth(check), check.intervalMs);
      this.healthTimer.unref();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.currentState = 'stopped';
    clearTimeout(this.restartTimer);
    clearInterval(this.healthTimer);
    const session = this.shared;
    this.shared = undefined;
    await session?.close();
  }

  /** A new session on this endpoint for one downstream session. */
  openSession(spec: SessionSpec): Promise<UpstreamClientSession> {
    return UpstreamClientSession.open(spec, this.owner.sessionDependencies(this.url));
  }

  /**
   * Replaces a shared session the upstream no longer knows (HTTP 404: it expired or the server
   * restarted) at once, without backoff; concurrent callers share the one replacement.
   */
  renewShared(stale: UpstreamClientSession): Promise<UpstreamClientSession> {
    if (this.shared && this.shared !== stale && !this.shared.closed) return Promise.resolve(this.shared);
    this.renewing ??= this.replaceShared(stale).finally(() => (this.renewing = undefined));
    return this.renewing;
  }

  private async replaceShared(stale: UpstreamClientSession): Promise<UpstreamClientSession> {
    if (this.shared === stale) this.shared = undefined;
    await stale.abandon();
    this.owner.logger.info(
      { server: this.owner.server, replica: this.url },
      'upstream lost the session; re-creating it',
    );
    try {
      const session = await this.owner.asGateway(() => this.openSession(this.owner.sharedSpec));
      this.adopt(session);
      return session;
    } catch (error) {
      this.recordFailure(messageOf(error));
      throw error;
    }
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    this.currentState = 'connecting';
    try {
      const session = await this.owner.asGateway(() => this.openSession(this.owner.sharedSpec));
      if (this.stopped) {
        await session.close();
        return;
      }
      this.adopt(session);
      this.owner.logger.info(
        { server: this.owner.server, replica: this.url, era: session.era, restarts: this.restartCount },
        'upstream connected',
      );
    } catch (error) {
      this.recordFailure(messageOf(error));
    }
  }

  private adopt(session: UpstreamClientSession): void {
    session.onLost = () => this.lost(session);
    this.owner
      .asGateway(() => session.listenForListChanges())
      .catch((error: unknown) =>
        this.owner.logger.warn(
          { server: this.owner.server, replica: this.url, error: messageOf(error) },
          'could not subscribe to list changes',
        ),
      );
    this.shared = session;
    this.currentState = 'ready';
    this.failures = 0;
    this.healthFailures = 0;
    this.ejected = false;
  }

  private lost(session: UpstreamClientSession): void {
    if (session !== this.shared || this.stopped) return;
    this.shared = undefined;
    this.recordFailure('connection closed (process exited or server went away)');
  }

  private recordFailure(message: string): void {
    if (this.stopped) return;
    this.lastErrorMessage = message;
    this.owner.recordError(message);
    const { initialMs, maxMs } = this.owner.restartBackoff;
    const delay = Math.min(initialMs * 2 ** this.failures, maxMs);
    this.failures += 1;
    this.restartCount += 1;
    this.currentState = 'backoff';
    this.owner.logger.warn(
      { server: this.owner.server, replica: this.url, error: message, retryInMs: delay },
      'upstream down; reconnecting',
    );
    clearTimeout(this.restartTimer);
    this.restartTimer = setTimeout(() => void this.connect(), delay);
  }

  private async checkHealth(check: HealthCheckOptions): Promise<void> {
    const session = this.shared;
    if (!session || this.currentState !== 'ready' || this.checking) return;
    this.checking = true;
    try {
      await session.probe(check.timeoutMs);
      this.healthFailures = 0;
      if (this.ejected) {
        this.ejected = false;
        this.owner.logger.info({ server: this.owner.server, replica: this.url }, 'upstream back in rotation');
      }
    } catch (error) {
      // An expired session says nothing about the server's health: replace it, count nothing.
      if (isSessionNotFound(error)) await this.renewShared(session).catch(() => undefined);
      else this.healthCheckFailed(check, messageOf(error));
    } finally {
      this.checking = false;
    }
  }

  private healthCheckFailed(check: HealthCheckOptions, message: string): void {
    this.healthFailures += 1;
    if (this.ejected || this.healthFailures < check.failuresToEject) return;
    this.ejected = true;
    this.lastErrorMessage = `health check failed: ${message}`;
    this.owner.recordError(this.lastErrorMessage);
    this.owner.logger.warn(
      { server: this.owner.server, replica: this.url, error: message },
      'upstream failed its health checks; out of rotation',
    );
  }
}
