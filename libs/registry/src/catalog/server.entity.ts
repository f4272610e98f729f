import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ServerDefinitionValue } from '@gateway/contracts';

@Entity({ name: 'servers' })
export class ServerEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text', unique: true })
  name!: string;

  @Column({ type: 'jsonb' })
  definition!: ServerDefinitionValue;

  @Column({
    type: 'bigint',
    transformer: { to: (value: number) => value, from: (value: string) => Number(value) },
  })
  revision!: number;

  /** "config" for servers declared in the YAML file; the admin API uses "api". */
  @Column({ type: 'text' })
  source!: string;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
