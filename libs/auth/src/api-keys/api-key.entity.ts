import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An API key; only its SHA-256 hash is stored, the key itself is shown once when issued. */
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

  @Column({ type: 'text', array: true })
  roles!: string[];

  @Column({ type: 'text', array: true })
  scopes!: string[];

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
