import type { ServerDefinitionValue } from '@gateway/contracts';
import type { Logger } from '@gateway/platform';
import type { EnvelopeCipher } from '@gateway/security';
import { ClientSessionRegistry } from './client-session.registry';
import {
  type ClientTransportFactory,
  createClientTransport,
  serverEndpoints,
} from './client-transport.factory';
import { isInputRequired, resolveInputRequired } from './input-required.bridge';
import type { SessionDependencies, SessionSpec, UpstreamClientSession } from './upstream-client.session';
import { type BreakerState, UpstreamCallPolicy } from './upstream-call.policy';
import { EraVerdict } from './upstream-era.verdict';
import { isSessionNotFound, toUpstreamFailure, UpstreamUnavailableError } from './upstream-errors';
import { UpstreamHttpAgent } from './upstream-http.agent';
import { SdkClientFacade } from './sdk-client.facade';
import {
  type HealthCheckOptions,
  upstreamPoolOptions,
  type UpstreamPoolOptions,
} from './upstream-pool.options';
import { UpstreamReplica } from './upstream-replica';
import { traceUpstreamRequest, withTraceMeta } from './upstream-request-tracer';
import { authenticatorFor, type UpstreamAuthenticator } from './upstream.authenticator';
import type {
  DownstreamClient,
  SessionListener,
  UpstreamCaller,
  UpstreamCallOptions,
  UpstreamEra,
  UpstreamServer,
  UpstreamState,
} from './upstream-session';

export type { UpstreamState } from './upstream-session';

export interface UpstreamConnectionOptions {
  readonly connectTimeoutMs: number;
  readonly restartBackoff: { readonly initialMs: number; readonly maxMs: number };
  readonly logger: Logger;
  readonly pool?: UpstreamPoolOptions;
  readonly listener?: () => SessionListener | undefined;
  /** Creates each transport; replaceable so tests can reach the real process behind one. */
  readonly createTransport?: ClientTransportFactory;
  /** Opens the server's sealed credentials (GATEWAY_MASTER_KEY); absent: this router has no key. */
  readonly cipher?: EnvelopeCipher;
}

const gatewayClientInfo = { name: 'mcp-gateway', version: '0.1.0' };

/** The span target of a request: the tool, prompt or resource it is about. */
function targetOf(method: string, params: Record<string, unknown> | undefined): string | undefined {
  const target = method === 'resources/read' ? params?.['uri'] : params?.['name'];
  return typeof target === 'string' ? target : undefined;
}

type SessionClient = DownstreamClient & { readonly sessionKey: string };

/**
 * One logical upstream server: its replicas (one stdio process, or each HTTP URL), the upstream
 * sessions of its downstream clients ('per-client') or one shared session per replica
 * ('shared', and stateless calls), its era, its breaker and retries. Every request runs in a
 * client span of its own.
 */
export class UpstreamConnection implements UpstreamServer {
  private readonly replicas: UpstreamReplica[];
  private readonly clientSessions: ClientSessionRegistry;
  private readonly policy: UpstreamCallPolicy;
  private readonly verdict: EraVerdict;
  private readonly http: UpstreamHttpAgent | undefined;
  private readonly pool: UpstreamPoolOptions;
  private readonly authenticator: UpstreamAuthenticator;
  /** Why the server's credentials cannot be used; the server is not connected then. */
  private readonly credentialProblem: string | undefined;
  private nextReplica = 0;
  private lastErrorMessage = '';

  constructor(
    readonly definition: ServerDefinitionValue,
    private readonly options: UpstreamConnectionOptions,
  ) {
    this.pool = options.pool ?? upstreamPoolOptions();
    this.verdict = new EraVerdict(definition.transport, this.pool.eraVerdictMaxAgeMs);
    this.policy = new UpstreamCallPolicy(definition.name, this.pool);
    const credentials = authenticatorFor(definition, options.cipher, {
      server: definition.name,
      tokenTimeoutMs: options.connectTimeoutMs,
    });
    this.authenticator = credentials.authenticator;
    this.credentialProblem = credentials.problem;
    const isHttp = definition.transport === 'streamable-http' || definition.transport === 'sse';
    this.http = isHttp ? new UpstreamHttpAgent(this.authenticator, this.pool.http) : undefined;
    const owner = this.replicaOwner();
    this.replicas = serverEndpoints(definition).map((url) => new UpstreamReplica(url, owner));
    this.clientSessions = new ClientSessionRegistry({
      server: definition.name,
      idleTimeoutMs: this.pool.sessionIdleTimeoutMs,
      logger: options.logger,
      spec: (client) => this.sessionSpec(client.sessionKey, client),
      pick: () => this.pickReplica(),
    });
  }

  get name(): string {
    return this.definition.name;
  }

  /** 'ready' while a replica is connected and in rotation; a replica out of rotation counts as 'backoff'. */
  get state(): UpstreamState {
    const states = this.replicas.map((replica) =>
      replica.state === 'ready' && !replica.available ? 'backoff' : replica.state,
    );
    for (const state of ['ready', 'connecting', 'backoff'] as const) if (states.includes(state)) return state;
    return 'stopped';
  }

  get restarts(): number {
    return this.replicas.reduce((sum, replica) => sum + replica.restarts, 0);
  }

  get lastError(): string {
    return this.lastErrorMessage;
  }

  get era(): UpstreamEra | undefined {
    return this.replicas.find((replica) => replica.session)?.session?.era ?? this.verdict.era;
  }

  get sessionMode(): 'per-client' | 'shared' {
    return this.definition.sessions ?? (this.definition.transport === 'stdio' ? 'shared' : 'per-client');
  }

  get breakerState(): BreakerState {
    return this.policy.breakerState;
  }

  /** Per-client upstream sessions open now. */
  get clientSessionCount(): number {
    return this.clientSessions.size;
  }

  get replicaStates(): Array<{ url: string | undefined; state: UpstreamState; inRotation: boolean }> {
    return this.replicas.map((replica) => ({
      url: replica.url,
      state: replica.state,
      inRotation: replica.inRotation,
    }));
  }

  start(): void {
    if (this.credentialProblem) {
      this.lastErrorMessage = `credentials: ${this.credentialProblem}`;
      this.options.logger.error({ server: this.name }, `upstream not connected: ${this.lastErrorMessage}`);
      return;
    }
    for (const replica of this.replicas) replica.start();
    this.clientSessions.start();
  }

  async stop(): Promise<void> {
    await this.clientSessions.closeAll();
    await Promise.all(this.replicas.map((replica) => replica.stop()));
    await this.http?.close();
  }

  capabilities(_era: UpstreamEra): Record<string, unknown> | undefined {
    return this.replicas.find((replica) => replica.session)?.session?.capabilities;
  }

  /**
   * The SDK client of a connected shared session, for code that still drives the SDK directly.
   * @deprecated use request(): it routes sessions, server-to-client traffic, retries and the breaker.
   */
  requireClient(): SdkClientFacade {
    return new SdkClientFacade(this.pickReplica().session!.client);
  }

  request(
    method: string,
    params: Record<string, unknown> | undefined,
    options: UpstreamCallOptions,
  ): Promise<Record<string, unknown>> {
    return this.authenticator.actingFor(options.caller, () =>
      traceUpstreamRequest(this, method, targetOf(method, params), async (meta) => {
        const traced = withTraceMeta(params ?? {}, meta);
        const result = await this.execute(method, traced, options);
        if (options.client.era !== 'legacy' || !isInputRequired(result)) return result;
        return resolveInputRequired(result, {
          server: this.name,
          method,
          params: traced,
          hooks: options.hooks,
          maxRounds: this.pool.maxInputRequiredRounds,
          retry: (next) => this.execute(method, next, options),
        });
      }),
    );
  }

  /** Sends a downstream notification (e.g. roots/list_changed) to the sessions serving that client. */
  async notify(
    method: string,
    params: Record<string, unknown> | undefined,
    client: DownstreamClient,
    caller?: UpstreamCaller,
  ): Promise<void> {
    const perClient = this.sessionMode === 'per-client' && client.sessionKey !== undefined;
    const sessions = perClient
      ? [this.clientSessions.find(client.sessionKey!)]
      : this.replicas.map((replica) => replica.session);
    await this.authenticator.actingFor(caller, () =>
      Promise.all(
        sessions.map((session) => session?.client.notification({ method, ...(params && { params }) })),
      ),
    );
  }

  async closeSession(sessionKey: string): Promise<void> {
    await this.clientSessions.close(sessionKey);
  }

  private execute(
    method: string,
    params: Record<string, unknown>,
    options: UpstreamCallOptions,
  ): Promise<Record<string, unknown>> {
    const call = { server: this.name, method, timeoutMs: options.timeoutMs, signal: options.signal };
    return this.policy.execute(
      { idempotent: options.idempotent === true, method, signal: options.signal },
      () =>
        this.attempt(method, params, options).catch((error: unknown) => {
          throw toUpstreamFailure(error, call);
        }),
    );
  }

  /** One try, re-creating the session and trying once more if the upstream forgot it (HTTP 404). */
  private async attempt(
    method: string,
    params: Record<string, unknown>,
    options: UpstreamCallOptions,
  ): Promise<Record<string, unknown>> {
    const session = await this.sessionFor(options.client);
    try {
      return await session.request(method, params, options);
    } catch (error) {
      if (!isSessionNotFound(error) || options.signal?.aborted) throw error;
      const renewed = await this.renew(session, options.client);
      return renewed.request(method, params, options);
    }
  }

  private sessionFor(client: DownstreamClient): Promise<UpstreamClientSession> {
    if (this.sessionMode === 'per-client' && client.sessionKey !== undefined) {
      return this.clientSessions.acquire(client as SessionClient);
    }
    return Promise.resolve(this.pickReplica().session!);
  }

  private renew(stale: UpstreamClientSession, client: DownstreamClient): Promise<UpstreamClientSession> {
    const replica = this.replicas.find((candidate) => candidate.session === stale);
    if (replica) return replica.renewShared(stale);
    return this.clientSessions.renew(client as SessionClient, stale);
  }

  /** The next replica in rotation (round robin), or -32010 saying why there is none. */
  private pickReplica(): UpstreamReplica {
    for (let offset = 0; offset < this.replicas.length; offset += 1) {
      const index = (this.nextReplica + offset) % this.replicas.length;
      const replica = this.replicas[index]!;
      if (!replica.available) continue;
      this.nextReplica = (index + 1) % this.replicas.length;
      return replica;
    }
    const reason = this.lastErrorMessage ? `: ${this.lastErrorMessage}` : '';
    const detail = this.replicas.length > 1 ? 'no replica is in rotation' : this.state;
    throw new UpstreamUnavailableError(this.name, `${detail}${reason}`, { state: this.state });
  }

  private sessionSpec(sessionKey: string | undefined, client?: DownstreamClient): SessionSpec {
    return {
      serverId: this.definition.id,
      server: this.name,
      sessionKey,
      capabilities: client?.capabilities ?? this.pool.sharedSessionCapabilities,
      clientInfo: client?.clientInfo ?? gatewayClientInfo,
      clientEra: sessionKey === undefined ? undefined : client?.era,
    };
  }

  private healthCheck(): HealthCheckOptions | undefined {
    const own = this.definition.healthCheck;
    if (own) return { ...this.pool.httpHealthCheck, ...own };
    return this.definition.transport === 'stdio' ? undefined : this.pool.httpHealthCheck;
  }

  private replicaOwner(): ConstructorParameters<typeof UpstreamReplica>[1] {
    const { logger } = this.options;
    const create = this.options.createTransport ?? createClientTransport;
    const sessionDependencies = (url: string | undefined): SessionDependencies => ({
      createTransport: () =>
        create(this.definition, url, {
          onStderrLine: (line) => logger.info({ server: this.name, stream: 'stderr' }, line),
          fetch: this.http?.fetch,
          environment: this.authenticator.environment,
          upgradeCredentials: () => this.authenticator.upgradeCredentials(),
        }),
      verdict: this.verdict,
      listener: this.options.listener ?? (() => undefined),
      logger,
      connectTimeoutMs: this.options.connectTimeoutMs,
    });
    return {
      server: this.name,
      logger,
      restartBackoff: this.options.restartBackoff,
      healthCheck: this.healthCheck(),
      sharedSpec: this.sessionSpec(undefined),
      sessionDependencies,
      asGateway: (work) => this.authenticator.actingFor(undefined, work),
      recordError: (message) => (this.lastErrorMessage = message),
    };
  }
}
