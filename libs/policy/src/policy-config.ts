import { loadEnvConfig } from '@gateway/platform';
import { z } from 'zod';

const policyEnvSchema = z.object({
  POLICY_DEFAULT_DECISION: z
    .enum(['allow', 'deny'], { error: 'expected "allow" or "deny"' })
    .default('allow'),
});

export interface PolicyConfig {
  /** What the default tenant's bundle decides when no policy matches; set when the bundle is first created. */
  readonly defaultDecision: 'allow' | 'deny';
}

export function loadPolicyConfig(env: NodeJS.ProcessEnv = process.env): PolicyConfig {
  return { defaultDecision: loadEnvConfig(policyEnvSchema, env).POLICY_DEFAULT_DECISION };
}

export const POLICY_CONFIG = Symbol('POLICY_CONFIG');
