import type { Logger } from '@gateway/platform';
import type { SessionSpec, UpstreamClientSession } from './upstream-client.session';
import { UpstreamUnavailableError } from './upstream-errors';
import type { UpstreamReplica } from './upstream-replica';
import type { DownstreamClient } from './upstream-session';

interface Entry {
  readonly replica: UpstreamReplica;
  readonly opening?: Promise<UpstreamClientSession>;
  readonly session?: UpstreamClientSession;
}

export interface ClientSessionRegistryOptions {
  readonly server: string;
  readonly idleTimeoutMs: number;
  readonly logger: Logger;
  /** What the upstream session declares: the downstream client's capabilities and identity. */
  readonly spec: (client: DownstreamClient & { readonly sessionKey: string }) => SessionSpec;
  /** The next replica in rotation (throws when none is). */
  readonly pick: () => UpstreamReplica;
}

/**
 * The per-client upstream sessions of one server ('per-client' mode): one per downstream session
 * key, opened on first use with that client's capabilities (concurrent first calls share the
 * opening), pinned to the replica it was opened on, moved only when that replica leaves
 * rotation, and closed by the downstream session's end or after an idle period.
 */
export class ClientSessionRegistry {
  private readonly entries = new Map<string, Entry>();
  private sweepTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: ClientSessionRegistryOptions) {}

  get size(): number {
    return this.entries.size;
  }

  start(): void {
    const every = Math.max(10, Math.min(this.options.idleTimeoutMs / 2, 60_000));
    this.sweepTimer = setInterval(() => this.sweep(Date.now()), every);
    this.sweepTimer.unref();
  }

  /** The session serving this client, opened (or moved off a replica out of rotation) as needed. */
  acquire(client: DownstreamClient & { readonly sessionKey: string }): Promise<UpstreamClientSession> {
    const entry = this.entries.get(client.sessionKey);
    if (entry?.opening) return entry.opening;
    if (entry?.session && !entry.session.closed && entry.replica.available)
      return Promise.resolve(entry.session);
    if (entry) this.discard(client.sessionKey, entry, 'its replica left rotation or its connection ended');
    return this.open(client, this.options.pick());
  }

  /** After the upstream forgot a session (HTTP 404): a new one, on the same replica while it is in rotation. */
  renew(
    client: DownstreamClient & { readonly sessionKey: string },
    stale: UpstreamClientSession,
  ): Promise<UpstreamClientSession> {
    const entry = this.entries.get(client.sessionKey);
    if (entry?.session !== stale) return this.acquire(client);
    this.entries.delete(client.sessionKey);
    void stale.abandon();
    this.options.logger.info(
      { server: this.options.server, sessionKey: client.sessionKey },
      'upstream lost the session; re-creating it',
    );
    return this.open(client, entry.replica.available ? entry.replica : this.options.pick());
  }

  /** The open session of a downstream session, if it has one (nothing is opened). */
  find(sessionKey: string): UpstreamClientSession | undefined {
    const session = this.entries.get(sessionKey)?.session;
    return session && !session.closed ? session : undefined;
  }

  async close(sessionKey: string): Promise<void> {
    const entry = this.entries.get(sessionKey);
    this.entries.delete(sessionKey);
    const session = entry?.session ?? (await entry?.opening?.catch(() => undefined));
    await session?.close();
  }

  async closeAll(): Promise<void> {
    clearInterval(this.sweepTimer);
    await Promise.all([...this.entries.keys()].map((key) => this.close(key)));
  }

  /** Closes sessions idle longer than the timeout (none of their requests running). */
  sweep(now: number): void {
    for (const [key, entry] of this.entries) {
      const session = entry.session;
      if (!session || session.inFlight > 0 || now - session.lastUsedAt < this.options.idleTimeoutMs) continue;
      this.discard(key, entry, 'idle');
    }
  }

  private open(
    client: DownstreamClient & { readonly sessionKey: string },
    replica: UpstreamReplica,
  ): Promise<UpstreamClientSession> {
    const key = client.sessionKey;
    const opening: Promise<UpstreamClientSession> = replica.openSession(this.options.spec(client)).then(
      async (session) => {
        if (this.entries.get(key)?.opening !== opening) {
          await session.close();
          throw new UpstreamUnavailableError(
            this.options.server,
            'the downstream session was closed meanwhile',
          );
        }
        session.onLost = () => {
          if (this.entries.get(key)?.session === session) this.entries.delete(key);
        };
        this.entries.set(key, { replica, session });
        return session;
      },
      (error: unknown) => {
        if (this.entries.get(key)?.opening === opening) this.entries.delete(key);
        throw error;
      },
    );
    this.entries.set(key, { replica, opening });
    return opening;
  }

  private discard(key: string, entry: Entry, reason: string): void {
    this.entries.delete(key);
    this.options.logger.info(
      { server: this.options.server, sessionKey: key, replica: entry.replica.url, reason },
      'closing per-client upstream session',
    );
    void entry.session?.close();
  }
}
