import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ServerCredentialKind } from '@gateway/contracts';
import type { CredentialMetadata } from './server-credential.view';

/** "config" for credentials declared in the YAML file, "api" once the admin API wrote them. */
export type ServerCredentialSource = 'config' | 'api';

/** One server's credential: sealed, with what may be shown of it (never a secret) beside. */
@Entity({ name: 'server_credentials' })
export class ServerCredentialEntity {
  @PrimaryColumn({ name: 'server_id', type: 'text' })
  serverId!: string;

  @Column({ type: 'text' })
  kind!: ServerCredentialKind;

  /** The envelope text (EnvelopeCipher, context "server-credential:<server id>"). */
  @Column({ type: 'text' })
  sealed!: string;

  @Column({ type: 'jsonb' })
  metadata!: CredentialMetadata;

  @Column({ type: 'text' })
  source!: ServerCredentialSource;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
