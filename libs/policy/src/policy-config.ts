import { readFileSync } from 'node:fs';
import { ConfigError, loadEnvConfig } from '@gateway/platform';
import { z } from 'zod';
import { type DeclaredTenant, parsePolicyConfigFile } from './policy-config-file.parser';

export type { DeclaredTenant } from './policy-config-file.parser';

const policyEnvSchema = z.object({
  POLICY_DEFAULT_DECISION: z
    .enum(['allow', 'deny'], { error: 'expected "allow" or "deny"' })
    .default('allow'),
  POLICY_CONFIG_FILE: z.string().min(1).optional(),
});

export interface PolicyConfig {
  /** What a tenant without any policy gets; with policies, Cedar denies unless a policy permits. */
  readonly defaultDecision: 'allow' | 'deny';
  /** Policies, rate limits and guardrails per tenant from POLICY_CONFIG_FILE, applied at start. */
  readonly declared: readonly DeclaredTenant[];
}

export function loadPolicyConfig(env: NodeJS.ProcessEnv = process.env): PolicyConfig {
  const parsed = loadEnvConfig(policyEnvSchema, env);
  const file = parsed.POLICY_CONFIG_FILE;
  let text = '';
  if (file) {
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new ConfigError('environment variables', [
        `POLICY_CONFIG_FILE: cannot read ${file} (${(error as Error).message})`,
      ]);
    }
  }
  return {
    defaultDecision: parsed.POLICY_DEFAULT_DECISION,
    declared: file ? parsePolicyConfigFile(text, file) : [],
  };
}

export const POLICY_CONFIG = Symbol('POLICY_CONFIG');
