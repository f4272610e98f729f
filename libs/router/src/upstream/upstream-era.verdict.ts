import type { Client, PriorDiscovery, VersionNegotiationOptions } from '@modelcontextprotocol/client';
import type { ServerDefinitionValue } from '@gateway/contracts';
import type { UpstreamEra } from './upstream-session';

/**
 * Which protocol era one upstream server speaks, found once and remembered: the first
 * connection probes (`server/discover`, falling back to `initialize`), later connections (new
 * sessions, reconnects, other replicas) pass the verdict as `prior` and skip the probe. The SDK
 * warns that a stale legacy verdict never fails (an upgraded server still answers `initialize`),
 * so a legacy verdict is only trusted for `maxAgeMs`; a connect that fails with a verdict forgets
 * it. HTTP+SSE and WebSocket are 2025-era transports: never probed.
 */
export class EraVerdict {
  private prior: PriorDiscovery | undefined;
  private decidedAt = 0;

  constructor(
    private readonly transport: ServerDefinitionValue['transport'],
    private readonly maxAgeMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get era(): UpstreamEra | undefined {
    if (!this.probes) return 'legacy';
    return this.prior?.kind;
  }

  /** The client's negotiation mode: probe where the transport can carry 2026-07-28. */
  negotiation(): VersionNegotiationOptions {
    return { mode: this.probes ? 'auto' : 'legacy' };
  }

  /** The remembered verdict to connect with, if still trusted. */
  connectPrior(): PriorDiscovery | undefined {
    if (!this.probes) return { kind: 'legacy' };
    if (this.prior?.kind === 'legacy' && this.now() - this.decidedAt > this.maxAgeMs) this.forget();
    return this.prior;
  }

  /** Records what a client that probed negotiated (a modern verdict keeps the discover result). */
  remember(client: Client): void {
    if (!this.probes) return;
    const discover = client.getDiscoverResult();
    this.prior =
      client.getProtocolEra() === 'modern' && discover ? { kind: 'modern', discover } : { kind: 'legacy' };
    this.decidedAt = this.now();
  }

  forget(): void {
    this.prior = undefined;
  }

  /**
   * What a session for a 2025-era client connects with: the 2025 handshake, so that
   * subscriptions, logging and in-stream sampling keep their meaning end to end, unless the
   * upstream has refused it once (a 2026-07-28-only server); then the era verdict.
   */
  connectPriorFor(clientEra: UpstreamEra | undefined): PriorDiscovery | undefined {
    if (clientEra === 'legacy' && !this.legacyRefused) return { kind: 'legacy' };
    return this.connectPrior();
  }

  /**
   * The upstream refused the 2025 handshake, or serves it without sessions (it could not send a
   * 2025-era client requests then): 2025-era clients get sessions of its own era.
   */
  refuseLegacy(): void {
    this.legacyRefused = true;
  }

  private legacyRefused = false;

  private get probes(): boolean {
    return this.transport === 'stdio' || this.transport === 'streamable-http';
  }
}
