import { Injectable } from '@nestjs/common';

export interface ReadinessCheck {
  readonly ready: boolean;
  readonly detail: string;
}

export type ReadinessProbe = () => ReadinessCheck;

/** Components register what they depend on; /readyz reports them all. */
@Injectable()
export class ReadinessRegistry {
  private readonly probes = new Map<string, ReadinessProbe>();

  register(name: string, probe: ReadinessProbe): void {
    this.probes.set(name, probe);
  }

  evaluate(): { ready: boolean; checks: Record<string, ReadinessCheck> } {
    const checks: Record<string, ReadinessCheck> = {};
    for (const [name, probe] of this.probes) {
      try {
        checks[name] = probe();
      } catch (error) {
        checks[name] = { ready: false, detail: error instanceof Error ? error.message : String(error) };
      }
    }
    return { ready: Object.values(checks).every((check) => check.ready), checks };
  }
}
