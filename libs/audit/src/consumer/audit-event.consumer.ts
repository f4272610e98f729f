import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { AdminChange, CallEvent, ConsumerGroups, SecurityEvent } from '@gateway/contracts';
import {
  EVENT_BUS,
  type EventBus,
  type IncomingMessage,
  parseEvent,
  type Subscription,
} from '@gateway/platform';
import type { AuditEntry } from '../chain/audit-record';
import { adminChangeEntry, callEntry, securityEntry } from '../chain/audit-entry.mapper';
import { AuditRecordRepository } from '../storage/audit-record.repository';

interface AuditedTopic {
  readonly topic: string;
  readonly groupId: string;
  readonly toEntry: (message: IncomingMessage) => AuditEntry;
}

/*
 * One consumer group per topic. kafkajs lets the group leader assign only the topics the leader
 * itself subscribed to: three consumers of three topics in one group would leave two topics
 * unread. Calls keep the group id "audit" they always had, so its committed offsets stay valid.
 */
export const auditedTopics: readonly AuditedTopic[] = [
  {
    topic: CallEvent.topic.name,
    groupId: ConsumerGroups.auditCalls,
    toEntry: (message) => callEntry(parseEvent(CallEvent, message)),
  },
  {
    topic: SecurityEvent.topic.name,
    groupId: ConsumerGroups.auditSecurity,
    toEntry: (message) => securityEntry(parseEvent(SecurityEvent, message)),
  },
  {
    topic: AdminChange.topic.name,
    groupId: ConsumerGroups.auditAdminChanges,
    toEntry: (message) => adminChangeEntry(parseEvent(AdminChange, message)),
  },
];

/**
 * The most events appended in one transaction. Whatever waits on a partition goes in together:
 * one transaction per event cost the embedded gateway's database more than the calls themselves.
 */
export const auditBatchSize = 500;

/**
 * Records every call event, security event and admin change, a batch per transaction. A failure
 * (the database is down) leaves the batch unacknowledged so the bus delivers it again; a
 * redelivery of events already recorded is skipped by their event ids.
 */
@Injectable()
export class AuditEventConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private subscriptions: Subscription[] = [];

  constructor(
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    private readonly records: AuditRecordRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.subscriptions = await Promise.all(
      auditedTopics.map(({ topic, groupId, toEntry }) =>
        this.bus.subscribeBatches({ topic, groupId, maxBatchSize: auditBatchSize }, async (messages) => {
          await this.records.recordMany(messages.map(toEntry));
        }),
      ),
    );
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.subscriptions.splice(0).map((subscription) => subscription.close()));
  }
}
