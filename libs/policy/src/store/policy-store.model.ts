import type { GuardrailSettings, PolicyBundleValue, RateLimitRule } from '@gateway/contracts';

/** One stored policy: the Cedar text of one or more policies under one id. */
export interface StoredPolicy {
  readonly tenant: string;
  readonly id: string;
  readonly description: string | null;
  readonly source: string;
  readonly enabled: boolean;
  readonly updatedBy: string;
  readonly updatedAt: Date;
  readonly revision: number;
}

/** A tenant's rate limits and guardrails; null until an admin or the config file sets them. */
export interface StoredSettings {
  readonly tenant: string;
  readonly rateLimits: readonly RateLimitRule[] | null;
  readonly guardrails: GuardrailSettings | null;
  readonly updatedBy: string;
  readonly updatedAt: Date;
}

/** One tenant's state inside a transaction that holds the tenant's lock. */
export interface TenantTransaction {
  readonly tenant: string;
  policies(): Promise<StoredPolicy[]>;
  policy(id: string): Promise<StoredPolicy | undefined>;
  savePolicy(policy: StoredPolicy): Promise<void>;
  deletePolicy(id: string): Promise<void>;
  settings(): Promise<StoredSettings | undefined>;
  saveSettings(settings: StoredSettings): Promise<void>;
  bundle(): Promise<PolicyBundleValue | undefined>;
  saveBundle(bundle: PolicyBundleValue): Promise<void>;
}
