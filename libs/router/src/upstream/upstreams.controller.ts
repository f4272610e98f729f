import { Controller, Get } from '@nestjs/common';
import { UpstreamPool } from './upstream-pool';

export interface UpstreamView {
  readonly id: string;
  readonly name: string;
  readonly transport: string;
  readonly state: string;
  readonly restarts: number;
  readonly lastError: string;
  /** 'modern' (2026-07-28) or 'legacy' (2025 revisions), once known. */
  readonly era: string | null;
  readonly sessions: 'per-client' | 'shared';
  /** Per-client upstream sessions open now. */
  readonly clientSessions: number;
  readonly breaker: string;
  readonly replicas: ReadonlyArray<{ url: string | null; state: string; inRotation: boolean }>;
}

/** Connection state of this router replica's upstreams, for operators and health dashboards. */
@Controller('api/v1/upstreams')
export class UpstreamsController {
  constructor(private readonly pool: UpstreamPool) {}

  @Get()
  list(): { upstreams: UpstreamView[] } {
    return {
      upstreams: this.pool.all().map((connection) => ({
        id: connection.definition.id,
        name: connection.name,
        transport: connection.definition.transport,
        state: connection.state,
        restarts: connection.restarts,
        lastError: connection.lastError,
        era: connection.era ?? null,
        sessions: connection.sessionMode,
        clientSessions: connection.clientSessionCount,
        breaker: connection.breakerState,
        replicas: connection.replicaStates.map((replica) => ({ ...replica, url: replica.url ?? null })),
      })),
    };
  }
}
