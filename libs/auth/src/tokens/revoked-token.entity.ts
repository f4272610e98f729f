import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A token revoked before its expiry; the row goes once the token would have expired anyway. */
@Entity({ name: 'revoked_tokens' })
export class RevokedTokenEntity {
  @PrimaryColumn({ type: 'text' })
  jti!: string;

  @Column({ type: 'text' })
  tenant!: string;

  @Column({ name: 'revoked_at', type: 'timestamptz' })
  revokedAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}
