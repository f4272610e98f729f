import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ToolFinding, ToolPinValue } from '@gateway/contracts';
import type { ReportedTool } from './reported-tool.schema';

@Entity({ name: 'tool_pins' })
export class ToolPinEntity {
  @PrimaryColumn({ name: 'server_id', type: 'text' })
  serverId!: string;

  /** The upstream's own name for the tool. */
  @PrimaryColumn({ type: 'text' })
  tool!: string;

  @Column({ type: 'text' })
  status!: ToolPinValue['status'];

  @Column({ name: 'approved_fingerprint', type: 'text', nullable: true })
  approvedFingerprint!: string | null;

  @Column({ name: 'observed_fingerprint', type: 'text' })
  observedFingerprint!: string;

  /** The definition last seen upstream, so a reviewer sees what they approve. */
  @Column({ name: 'observed_definition', type: 'jsonb' })
  observedDefinition!: ReportedTool;

  @Column({ type: 'jsonb' })
  findings!: ToolFinding[];

  @Column({ name: 'decided_by', type: 'text' })
  decidedBy!: string;

  @Column({ name: 'decided_at', type: 'timestamptz' })
  decidedAt!: Date;
}
