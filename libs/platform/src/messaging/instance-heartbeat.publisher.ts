import { InstanceHeartbeat, type InstanceStatus } from '@gateway/contracts';
import { createLogger, type Logger } from '../observability/logger';
import { errorMessage } from '../retry/backoff';
import type { EventBus } from './event-bus';
import { publishEvent, publishTombstone } from './publish-event';

export interface InstanceHeartbeatOptions {
  readonly bus: EventBus;
  readonly instanceId: string;
  /** A heartbeat goes out at least this often; readers forget the replica after three silent ones. */
  readonly intervalMs: number;
  /** The consumer groups the replica reads with, so telemetry can watch their lag. */
  readonly consumerGroups: readonly string[];
  /** The replica's current state; read at every check, so it must be cheap. */
  readonly status: () => InstanceStatus;
  /** How often the state is compared with the last one sent (default: 1 s, or the interval if shorter). */
  readonly checkIntervalMs?: number;
  readonly logger?: Logger;
}

/**
 * Publishes a replica's state to mcp.gateway.instances.v1: at start, whenever it changes (at
 * most once per check, so a burst of sessions is one message) and at least every interval;
 * stop() publishes the tombstone that tells readers the replica left on purpose.
 */
export class InstanceHeartbeatPublisher {
  private readonly checkIntervalMs: number;
  private readonly logger: Logger;
  private timer: NodeJS.Timeout | undefined;
  private lastSent: string | undefined;
  private lastSentAt = 0;

  constructor(private readonly options: InstanceHeartbeatOptions) {
    this.checkIntervalMs = options.checkIntervalMs ?? Math.min(1_000, options.intervalMs);
    this.logger = options.logger ?? createLogger('instance-heartbeat');
  }

  start(): void {
    if (this.timer) return;
    this.check();
    this.timer = setInterval(() => this.check(), this.checkIntervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (!this.timer) return;
    clearInterval(this.timer);
    this.timer = undefined;
    publishTombstone(this.options.bus, InstanceHeartbeat, this.options.instanceId);
  }

  private check(): void {
    try {
      const status = this.options.status();
      const fingerprint = JSON.stringify(status);
      const now = Date.now();
      // Half a check early rather than a whole check late: timers drift by a few milliseconds.
      const due = now - this.lastSentAt >= this.options.intervalMs - this.checkIntervalMs / 2;
      if (fingerprint === this.lastSent && !due) return;
      this.send(status, now);
      this.lastSent = fingerprint;
      this.lastSentAt = now;
    } catch (error) {
      this.logger.error({ err: errorMessage(error) }, 'could not publish the instance heartbeat');
    }
  }

  private send(status: InstanceStatus, now: number): void {
    publishEvent(this.options.bus, InstanceHeartbeat, {
      ...status,
      instanceId: this.options.instanceId,
      reportedAt: new Date(now).toISOString(),
      intervalMs: this.options.intervalMs,
      consumerGroups: [...this.options.consumerGroups],
    });
  }
}
