import type { InstanceHeartbeatValue } from '@gateway/contracts';

/** A replica is forgotten after this many of its own intervals without a heartbeat. */
export const staleAfterIntervals = 3;

export interface LiveInstance {
  readonly heartbeat: InstanceHeartbeatValue;
  /** When its latest heartbeat was taken (epoch ms); see InstanceRegistry.apply. */
  readonly seenAtMs: number;
  /** When this registry first heard of it (epoch ms): where its counters start. */
  readonly firstSeenAtMs: number;
}

/**
 * The router and ingress replicas that are alive, from their heartbeats. A tombstone removes a
 * replica at once; one that stops reporting (crashed, partitioned) is forgotten after three of
 * its intervals, so its upstreams and sessions stop counting.
 */
export class InstanceRegistry {
  private readonly instances = new Map<string, LiveInstance>();

  constructor(private readonly now: () => number = Date.now) {}

  /**
   * Records a heartbeat. It counts as seen at the earlier of its arrival and its reportedAt: a
   * heartbeat replayed from the start of the topic after a restart is as old as it says, not
   * new, so a replica that died meanwhile is not revived for three intervals.
   */
  apply(heartbeat: InstanceHeartbeatValue): void {
    const arrivedAtMs = this.now();
    const seenAtMs = Math.min(arrivedAtMs, Date.parse(heartbeat.reportedAt));
    const known = this.instances.get(heartbeat.instanceId);
    this.instances.set(heartbeat.instanceId, {
      heartbeat,
      seenAtMs,
      firstSeenAtMs: known?.firstSeenAtMs ?? arrivedAtMs,
    });
  }

  remove(instanceId: string): void {
    this.instances.delete(instanceId);
  }

  /** The replicas still alive; stale ones are forgotten on the way. */
  live(): LiveInstance[] {
    const nowMs = this.now();
    for (const [instanceId, instance] of this.instances) {
      if (nowMs - instance.seenAtMs > staleAfterIntervals * instance.heartbeat.intervalMs) {
        this.instances.delete(instanceId);
      }
    }
    return [...this.instances.values()];
  }

  /** The consumer groups the live replicas read with. */
  consumerGroups(): string[] {
    return [...new Set(this.live().flatMap((instance) => instance.heartbeat.consumerGroups))];
  }
}
