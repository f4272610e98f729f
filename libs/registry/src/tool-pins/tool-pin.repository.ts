import { Inject, Injectable } from '@nestjs/common';
import type { ToolPinValue } from '@gateway/contracts';
import type { Database } from '@gateway/platform';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { REGISTRY_DATABASE } from '../catalog/server.repository';
import type { ReportedTool } from './reported-tool.schema';
import { ToolPinEntity } from './tool-pin.entity';

export interface StoredToolPin {
  readonly pin: ToolPinValue;
  readonly definition: ReportedTool;
}

function toStored(row: ToolPinEntity): StoredToolPin {
  return {
    pin: {
      serverId: row.serverId,
      tool: row.tool,
      status: row.status,
      ...(row.approvedFingerprint !== null && { approvedFingerprint: row.approvedFingerprint }),
      observedFingerprint: row.observedFingerprint,
      findings: row.findings,
      decidedBy: row.decidedBy,
      decidedAt: row.decidedAt.toISOString(),
    },
    definition: row.observedDefinition,
  };
}

@Injectable()
export class ToolPinRepository {
  constructor(@Inject(REGISTRY_DATABASE) private readonly database: Database) {}

  async list(): Promise<StoredToolPin[]> {
    const dataSource = await this.database.whenReady();
    const rows = await dataSource
      .getRepository(ToolPinEntity)
      .find({ order: { serverId: 'ASC', tool: 'ASC' } });
    return rows.map(toStored);
  }

  /** Inserts or replaces one pin; a single statement, so no transaction is needed. */
  async upsert(stored: StoredToolPin): Promise<void> {
    const dataSource = await this.database.whenReady();
    const { pin, definition } = stored;
    const row: ToolPinEntity = {
      serverId: pin.serverId,
      tool: pin.tool,
      status: pin.status,
      approvedFingerprint: pin.approvedFingerprint ?? null,
      observedFingerprint: pin.observedFingerprint,
      observedDefinition: definition,
      findings: pin.findings,
      decidedBy: pin.decidedBy,
      decidedAt: new Date(pin.decidedAt),
    };
    // TypeORM's partial-entity type cannot follow the schemas' unknown JSON values; the row is whole.
    await dataSource
      .getRepository(ToolPinEntity)
      .upsert(row as QueryDeepPartialEntity<ToolPinEntity>, ['serverId', 'tool']);
  }
}
