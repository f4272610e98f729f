import type { GuardrailSettings, RateLimitRule } from '@gateway/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A tenant's rate limits and guardrails; its row also marks that the tenant was set up. */
@Entity({ name: 'tenant_settings' })
export class TenantSettingsEntity {
  @PrimaryColumn({ type: 'text' })
  tenant!: string;

  /** Null until set: the bundle then carries none. */
  @Column({ name: 'rate_limits', type: 'jsonb', nullable: true })
  rateLimits!: RateLimitRule[] | null;

  @Column({ type: 'jsonb', nullable: true })
  guardrails!: GuardrailSettings | null;

  @Column({ name: 'updated_by', type: 'text' })
  updatedBy!: string;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
