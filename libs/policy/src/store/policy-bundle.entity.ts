import type { GuardrailSettings, RateLimitRule } from '@gateway/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The last bundle published for a tenant. */
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

  @Column({ type: 'text', nullable: true })
  schema!: string | null;

  @Column({ name: 'default_decision', type: 'text' })
  defaultDecision!: 'allow' | 'deny';

  @Column({ name: 'rate_limits', type: 'jsonb', nullable: true })
  rateLimits!: RateLimitRule[] | null;

  @Column({ type: 'jsonb', nullable: true })
  guardrails!: GuardrailSettings | null;

  @Column({ name: 'published_at', type: 'timestamptz' })
  publishedAt!: Date;
}
