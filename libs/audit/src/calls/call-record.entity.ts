import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

const numeric = { to: (value: number) => value, from: (value: string | number) => Number(value) };

/** One handled MCP message as recorded from mcp.gateway.calls.v1. */
@Entity({ name: 'call_events' })
@Index(['sessionId', 'occurredAt'])
export class CallRecordEntity {
  /** The event's own id: a redelivered event hits the primary key and is not stored twice. */
  @PrimaryColumn({ name: 'event_id', type: 'uuid' })
  eventId!: string;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ name: 'session_id', type: 'text' })
  sessionId!: string;

  @Column({ type: 'text' })
  tenant!: string;

  @Column({ type: 'text' })
  principal!: string;

  @Column({ type: 'text' })
  method!: string;

  @Column({ type: 'text', nullable: true })
  server!: string | null;

  @Column({ type: 'text', nullable: true })
  target!: string | null;

  @Column({ type: 'text' })
  decision!: string;

  @Column({ type: 'text' })
  outcome!: string;

  @Column({ name: 'error_code', type: 'integer', nullable: true })
  errorCode!: number | null;

  @Column({ name: 'error_message', type: 'text', nullable: true })
  errorMessage!: string | null;

  @Column({ name: 'latency_ms', type: 'double precision', transformer: numeric })
  latencyMs!: number;

  @Column({ name: 'request_bytes', type: 'integer' })
  requestBytes!: number;

  @Column({ name: 'response_bytes', type: 'integer' })
  responseBytes!: number;

  @Column({ name: 'trace_id', type: 'text', nullable: true })
  traceId!: string | null;

  @Column({ name: 'ingress_instance', type: 'text' })
  ingressInstance!: string;

  @Column({ name: 'recorded_at', type: 'timestamptz', default: () => 'now()' })
  recordedAt!: Date;
}
