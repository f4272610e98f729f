import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * An API key of a principal; only its SHA-256 hash is stored, the key itself is shown once when
 * issued. It carries its own scopes; its roles are its principal's, looked up when it is verified.
 */
@Entity({ name: 'api_keys' })
export class ApiKeyEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ name: 'key_hash', type: 'text', unique: true })
  keyHash!: string;

  @Column({ type: 'text' })
  tenant!: string;

  @Column({ name: 'principal_id', type: 'text' })
  principalId!: string;

  @Column({ name: 'principal_kind', type: 'text' })
  principalKind!: string;

  @Column({ type: 'text' })
  name!: string;

  /** The first characters of the key, so a listing tells keys apart without revealing them. */
  @Column({ type: 'text' })
  prefix!: string;

  @Column({ type: 'text', array: true })
  scopes!: string[];

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;
}
