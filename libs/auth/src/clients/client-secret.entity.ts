import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A secret an agent authenticates to the token endpoint with; only its SHA-256 is stored. */
@Entity({ name: 'client_secrets' })
export class ClientSecretEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  /** The agent's id, which is also its OAuth client_id. */
  @Column({ name: 'agent_id', type: 'text' })
  agentId!: string;

  @Column({ name: 'secret_hash', type: 'text', unique: true })
  secretHash!: string;

  @Column({ type: 'text' })
  prefix!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
