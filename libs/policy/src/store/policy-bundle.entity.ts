import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'bundles' })
export class PolicyBundleEntity {
  @PrimaryColumn({ type: 'text' })
  tenant!: string;

  @Column({
    type: 'bigint',
    transformer: { to: (value: number) => value, from: (value: string) => Number(value) },
  })
  revision!: number;

  @Column({ type: 'text' })
  source!: string;

  @Column({ name: 'default_decision', type: 'text' })
  defaultDecision!: 'allow' | 'deny';

  @Column({ name: 'published_at', type: 'timestamptz' })
  publishedAt!: Date;
}
