import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { lastValueFrom, timeout } from 'rxjs';
import { GrpcPackages, type RegistryApi, ToolPinRecord, type ToolPinValue } from '@gateway/contracts';
import {
  createGrpcClient,
  createLogger,
  errorMessage,
  EVENT_BUS,
  type EventBus,
  parseStateRecord,
  ReadinessRegistry,
  type Subscription,
} from '@gateway/platform';
import { type OtherTool, scanToolDefinition, toolFingerprint } from '@gateway/security';
import { ROUTER_CONFIG, type RouterConfig } from '../router-config';
import { fromProtoPin } from './tool-pin.proto';
import { isAdmitted, needsReport, refusalOf, type SeenTool } from './tool-admission';

export interface ReviewedServer {
  readonly id: string;
  readonly name: string;
}

export type Callability = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** A report waits at most this long for the registry; the next list retries it. */
const reportTimeoutMs = 10_000;

const pinKey = (serverId: string, tool: string): string => `${serverId}/${tool}`;

/** Every router replica follows all pins, so each has its own consumer group. */
export function toolPinsGroupId(instanceId: string): string {
  return `${instanceId}-tool-pins`;
}

/** The fields the fingerprint covers, as the registry reads them back. */
function reportedJson(tool: Tool): string {
  const { name, title, description, inputSchema, outputSchema, annotations } = tool;
  return JSON.stringify({ name, title, description, inputSchema, outputSchema, annotations });
}

/**
 * The data plane's side of the tool review: which upstream tools agents may see and call,
 * decided in memory from the pins the registry publishes (no call on the request path).
 * Definitions the registry has not judged yet are reported to it in the background; until its
 * pin arrives a new tool is served only if this replica's own scan finds nothing wrong with it.
 */
@Injectable()
export class ToolReview implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = createLogger('tool-review');
  private readonly pins = new Map<string, ToolPinValue>();
  private readonly seen = new Map<string, SeenTool>();
  private readonly serverNames = new Map<string, string>();
  /** `<server>/<tool>@<fingerprint>` of the reports sent or on their way; a failed one is retried. */
  private readonly reported = new Set<string>();
  private readonly listeners = new Set<(serverId: string) => void>();
  private readonly registry: RegistryApi.RegistryServiceClient;
  private subscription: Subscription | undefined;
  private following = false;
  private stopped = false;

  constructor(
    @Inject(ROUTER_CONFIG) private readonly config: RouterConfig,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    private readonly readiness: ReadinessRegistry,
  ) {
    this.registry = createGrpcClient<RegistryApi.RegistryServiceClient>(
      GrpcPackages.registry,
      config.registryGrpcAddress,
    );
  }

  onModuleInit(): void {
    this.readiness.register('tool-pins', () => ({
      ready: this.following,
      detail: this.following ? `${this.pins.size} tool pins` : 'subscribing to the tool pins',
    }));
  }

  onApplicationBootstrap(): void {
    void this.follow();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.following = false;
    await this.subscription?.close();
  }

  /**
   * The tools of one upstream that agents may see, in their order: an approved pin of exactly
   * the current definition, or no pin yet and a clean local scan (`otherTools`: the other
   * servers' tools, for the shadowing check). Quarantined, held and changed tools are left out.
   * Definitions the registry has not judged are reported to it without waiting.
   */
  admit(server: ReviewedServer, tools: readonly Tool[], otherTools: readonly OtherTool[]): Tool[] {
    this.serverNames.set(server.id, server.name);
    const toReport: Array<{ tool: Tool; fingerprint: string }> = [];
    const admitted = tools.filter((tool) => {
      const key = pinKey(server.id, tool.name);
      const pin = this.pins.get(key);
      const fingerprint = toolFingerprint(tool);
      const flagged = !pin && scanToolDefinition(tool, otherTools).length > 0;
      this.seen.set(key, { fingerprint, flagged });
      if (needsReport(pin, fingerprint) && !this.reported.has(`${key}@${fingerprint}`)) {
        toReport.push({ tool, fingerprint });
      }
      return isAdmitted(pin, { fingerprint, flagged });
    });
    if (toReport.length > 0) void this.report(server.id, toReport);
    return admitted;
  }

  /** Whether an agent may call the tool now, and if not, why (in words it can pass on). */
  callable(serverId: string, tool: string): Callability {
    const key = pinKey(serverId, tool);
    const label = `tool "${tool}" of server "${this.serverNames.get(serverId) ?? serverId}"`;
    const reason = refusalOf(this.pins.get(key), this.seen.get(key), label);
    return reason === undefined ? { ok: true } : { ok: false, reason };
  }

  /** Calls the listener with the server id whenever a pin of one of its tools changes; returns the stopper. */
  onChanged(listener: (serverId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async follow(): Promise<void> {
    try {
      const subscription = await this.bus.subscribe(
        {
          topic: ToolPinRecord.topic.name,
          groupId: toolPinsGroupId(this.config.instanceId),
          fromBeginning: true,
        },
        async (message) => {
          const pin = parseStateRecord(ToolPinRecord, message);
          if (pin) this.apply(pin, 'published');
          else if (this.pins.delete(message.key)) this.notify(message.key.split('/')[0]!);
        },
      );
      if (this.stopped) return await subscription.close();
      this.subscription = subscription;
      this.following = true;
    } catch (error) {
      this.logger.error({ error: errorMessage(error) }, 'could not follow the tool pins');
    }
  }

  private async report(
    serverId: string,
    tools: ReadonlyArray<{ tool: Tool; fingerprint: string }>,
  ): Promise<void> {
    const keys = tools.map(({ tool, fingerprint }) => `${pinKey(serverId, tool.name)}@${fingerprint}`);
    for (const key of keys) this.reported.add(key);
    try {
      const reply = await lastValueFrom(
        this.registry
          .reportTools({ serverId, toolsJson: tools.map(({ tool }) => reportedJson(tool)) })
          .pipe(timeout({ first: reportTimeoutMs })),
      );
      for (const pin of reply.pins) this.apply(fromProtoPin(pin), 'replied');
    } catch (error) {
      for (const key of keys) this.reported.delete(key);
      this.logger.warn(
        { serverId, tools: tools.map(({ tool }) => tool.name), error: errorMessage(error) },
        'could not report tool definitions to the registry; retrying on the next list',
      );
    }
  }

  /**
   * The topic carries every decision in order per tool; a reply may arrive after a later
   * decision was published (an admin's approval), so it never replaces a newer or equal one.
   */
  private apply(pin: ToolPinValue, source: 'published' | 'replied'): void {
    const key = pinKey(pin.serverId, pin.tool);
    const current = this.pins.get(key);
    if (
      current &&
      (source === 'replied' ? pin.decidedAt <= current.decidedAt : pin.decidedAt < current.decidedAt)
    ) {
      return;
    }
    this.pins.set(key, pin);
    if (current?.status !== pin.status || current.approvedFingerprint !== pin.approvedFingerprint) {
      this.notify(pin.serverId);
    }
  }

  private notify(serverId: string): void {
    for (const listener of this.listeners) listener(serverId);
  }
}
