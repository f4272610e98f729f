import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { SecurityEvent, ToolPinRecord, type ToolPinValue } from '@gateway/contracts';
import {
  createLogger,
  errorMessage,
  EVENT_BUS,
  type EventBus,
  publishEvent,
  ReadinessRegistry,
  retryUntilDone,
} from '@gateway/platform';
import { type OtherTool, scanToolDefinition, toolFingerprint } from '@gateway/security';
import { recordAdminChange } from '../admin-change.recorder';
import { CatalogNotLoadedError, CatalogService } from '../catalog/catalog.service';
import { parseReportedTool, type ReportedTool } from './reported-tool.schema';
import { alertReason, approvedPin, decidePin, quarantinedPin } from './tool-pin.decision';
import { InvalidToolReportError, ToolPinNotFoundError, ToolPinsNotLoadedError } from './tool-pin.errors';
import { type StoredToolPin, ToolPinRepository } from './tool-pin.repository';
import { TOOL_REVIEW_CONFIG, type ToolReviewConfig } from './tool-review.config';

/** The catalog is not per tenant, so its guardrail events go to the default tenant's stream. */
export const toolReviewTenant = 'default';

/** What the admin API shows: the pin and the definition it last saw. */
export type ToolPinView = ToolPinValue & { readonly definition: ReportedTool };

export interface ToolPinFilter {
  readonly status?: ToolPinValue['status'];
  /** A server id or name. */
  readonly server?: string;
}

const pinKey = (serverId: string, tool: string): string => `${serverId}/${tool}`;
const viewOf = ({ pin, definition }: StoredToolPin): ToolPinView => ({ ...pin, definition });

/**
 * Owns the tool pins: decides on the definitions the routers report (trust on first use, a
 * quarantine for what the scan flags, a hold for what changed since approval), serves and
 * changes them for the admin API, and publishes every pin on the compacted tool-pins topic.
 * Every change is written to Postgres first, then published.
 */
@Injectable()
export class ToolPinsService implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = createLogger('tool-pins');
  private pins = new Map<string, StoredToolPin>();
  private loaded = false;
  private stopped = false;
  private lastError = '';
  /** One change at a time, so the topic's last record per tool is the database's row. */
  private writes: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly repository: ToolPinRepository,
    private readonly catalog: CatalogService,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    @Inject(TOOL_REVIEW_CONFIG) private readonly config: ToolReviewConfig,
    private readonly readiness: ReadinessRegistry,
  ) {}

  onModuleInit(): void {
    this.readiness.register('registry-tool-pins', () => ({
      ready: this.loaded,
      detail: this.loaded ? `${this.pins.size} tool pins` : `loading ${this.lastError}`.trim(),
    }));
  }

  onApplicationBootstrap(): void {
    if (this.config.mode === 'off') {
      this.logger.warn(
        'tool review is off (REGISTRY_TOOL_REVIEW=off): every reported definition is approved',
      );
    }
    void this.loadWithRetry();
  }

  onModuleDestroy(): void {
    this.stopped = true;
  }

  list(filter: ToolPinFilter = {}): ToolPinView[] {
    this.ensureLoaded();
    return [...this.pins.values()]
      .filter(({ pin }) => !filter.status || pin.status === filter.status)
      .filter(
        ({ pin }) =>
          !filter.server || filter.server === pin.serverId || filter.server === this.nameOf(pin.serverId),
      )
      .map(viewOf)
      .sort(
        (left, right) => left.serverId.localeCompare(right.serverId) || left.tool.localeCompare(right.tool),
      );
  }

  /**
   * Reviews the definitions a router saw upstream and returns each tool's pin after the review,
   * in the order reported. Unchanged definitions change nothing and publish nothing.
   */
  report(serverId: string, toolsJson: readonly string[]): Promise<ToolPinValue[]> {
    this.ensureLoaded();
    if (!this.catalog.get(serverId)) throw new InvalidToolReportError(`no server with id "${serverId}"`);
    const tools = toolsJson.map(parseReportedTool);
    return this.oneAtATime(async () => {
      const otherTools = this.toolsOfOtherServers(serverId);
      const pins: ToolPinValue[] = [];
      for (const tool of tools) pins.push(await this.review(serverId, tool, otherTools));
      return pins;
    });
  }

  approve(serverId: string, tool: string, actor: string): Promise<ToolPinView> {
    return this.decide(serverId, tool, (pin) =>
      pin.status === 'approved' && pin.approvedFingerprint === pin.observedFingerprint
        ? undefined
        : { pin: approvedPin(pin, actor, new Date()), action: 'approved' as const, actor },
    );
  }

  quarantine(serverId: string, tool: string, actor: string): Promise<ToolPinView> {
    return this.decide(serverId, tool, (pin) =>
      pin.status === 'quarantined' && pin.approvedFingerprint === undefined
        ? undefined
        : { pin: quarantinedPin(pin, actor, new Date()), action: 'updated' as const, actor },
    );
  }

  private async review(
    serverId: string,
    tool: ReportedTool,
    otherTools: readonly OtherTool[],
  ): Promise<ToolPinValue> {
    const current = this.pins.get(pinKey(serverId, tool.name));
    const decision = decidePin(
      current?.pin,
      {
        serverId,
        tool: tool.name,
        fingerprint: toolFingerprint(tool),
        findings: scanToolDefinition(tool, otherTools),
      },
      this.config.mode,
      new Date(),
    );
    if (decision.change === 'none') return current!.pin;
    await this.save({ pin: decision.pin, definition: tool });
    if (decision.alert) {
      publishEvent(this.bus, SecurityEvent, {
        eventId: randomUUID(),
        occurredAt: decision.pin.decidedAt,
        tenant: toolReviewTenant,
        kind: 'guardrail',
        method: 'tools/list',
        server: serverId,
        target: tool.name,
        action: decision.alert,
        reason: alertReason(decision.pin, decision.alert).slice(0, 1_000),
      });
      this.logger.warn(
        { serverId, tool: tool.name, findings: decision.pin.findings },
        `tool ${decision.alert}`,
      );
    }
    return decision.pin;
  }

  /** An admin's decision on one pin; undefined from `next` when there is nothing to change. */
  private decide(
    serverId: string,
    tool: string,
    next: (
      pin: ToolPinValue,
    ) => { pin: ToolPinValue; action: 'approved' | 'updated'; actor: string } | undefined,
  ): Promise<ToolPinView> {
    this.ensureLoaded();
    return this.oneAtATime(async () => {
      const current = this.pins.get(pinKey(serverId, tool));
      if (!current) throw new ToolPinNotFoundError(serverId, tool);
      const change = next(current.pin);
      if (!change) return viewOf(current);
      const stored = { pin: change.pin, definition: current.definition };
      await this.save(stored);
      recordAdminChange(this.bus, {
        actor: change.actor,
        entityType: 'tool-pin',
        entityId: pinKey(serverId, tool),
        action: change.action,
      });
      return viewOf(stored);
    });
  }

  private async save(stored: StoredToolPin): Promise<void> {
    await this.repository.upsert(stored);
    this.pins.set(pinKey(stored.pin.serverId, stored.pin.tool), stored);
    publishEvent(this.bus, ToolPinRecord, stored.pin);
  }

  private toolsOfOtherServers(serverId: string): OtherTool[] {
    return [...this.pins.values()]
      .filter(({ pin }) => pin.serverId !== serverId)
      .map(({ pin }) => ({ server: this.nameOf(pin.serverId), name: pin.tool }));
  }

  /** Servers are named in findings as agents know them; the id serves while the catalog loads. */
  private nameOf(serverId: string): string {
    try {
      return this.catalog.get(serverId)?.name ?? serverId;
    } catch (error) {
      if (error instanceof CatalogNotLoadedError) return serverId;
      throw error;
    }
  }

  private ensureLoaded(): void {
    if (!this.loaded) throw new ToolPinsNotLoadedError();
  }

  private oneAtATime<T>(work: () => Promise<T>): Promise<T> {
    const result = this.writes.then(work);
    this.writes = result.catch(() => undefined);
    return result;
  }

  private async loadWithRetry(): Promise<void> {
    this.loaded = await retryUntilDone(() => this.oneAtATime(() => this.load()), {
      stopped: () => this.stopped,
      onFailure: (error, attempt) => {
        this.lastError = errorMessage(error);
        this.logger.warn({ err: error, attempt }, 'tool pins load failed; retrying');
      },
    });
    if (this.loaded) this.logger.info({ pins: this.pins.size, mode: this.config.mode }, 'tool pins loaded');
  }

  /** Republished at every start: a router that starts later reads them from the topic. */
  private async load(): Promise<void> {
    const stored = await this.repository.list();
    this.pins = new Map(stored.map((row) => [pinKey(row.pin.serverId, row.pin.tool), row]));
    for (const row of stored) publishEvent(this.bus, ToolPinRecord, row.pin);
  }
}
