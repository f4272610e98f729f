import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { VirtualServerDefinitionValue } from '@gateway/contracts';

/** "config" for virtual servers declared in the YAML file, "api" once the admin API wrote them. */
export type VirtualServerSource = 'config' | 'api';

@Entity({ name: 'virtual_servers' })
export class VirtualServerEntity {
  @PrimaryColumn({ type: 'text' })
  name!: string;

  @Column({ type: 'jsonb' })
  definition!: VirtualServerDefinitionValue;

  @Column({
    type: 'bigint',
    transformer: { to: (value: number) => value, from: (value: string) => Number(value) },
  })
  revision!: number;

  @Column({ type: 'text' })
  source!: VirtualServerSource;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
