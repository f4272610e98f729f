import { z } from 'zod';
import { defineEvent } from './event-definition';
import { Topics } from './topics';

export const RateLimitRuleSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/),
    per: z
      .array(z.enum(['agent', 'tool']))
      .describe('One bucket per tenant, split further per agent and/or per tool; [] = the whole tenant'),
    methods: z
      .array(z.string().min(1))
      .optional()
      .describe('MCP methods the rule counts; every request when absent'),
    tools: z.array(z.string().min(1)).optional().describe('Only calls of these tools, as agents name them'),
    capacity: z.number().int().positive().describe('Burst: requests a full bucket allows at once'),
    refillPerSecond: z.number().positive().describe('Sustained rate; a quota is a large, slow bucket'),
  })
  .describe('A token bucket');

export const maskingDetector = z.enum(['secrets', 'email', 'phone', 'card']);

export const MaskingSchema = z.object({
  detectors: z.array(maskingDetector),
  arguments: z.boolean().describe('Mask tool arguments before they reach the upstream'),
  results: z.boolean().describe('Mask results before they reach the agent'),
});

export const GuardrailsSchema = z.object({
  masking: MaskingSchema.optional().describe('For every server of the tenant, unless overridden'),
  servers: z
    .record(z.string(), MaskingSchema.nullable())
    .optional()
    .describe('Per upstream server name: its own masking, or null for none'),
});

export const PolicyBundleSchema = z
  .object({
    tenant: z.string().min(1),
    revision: z.number().int().nonnegative(),
    source: z.string().describe('Cedar policies of the tenant, each with its @id annotation'),
    schema: z.string().optional().describe('The Cedar schema the policies were validated against'),
    defaultDecision: z
      .enum(['allow', 'deny'])
      .describe('Applies only while the tenant has no policy at all; with policies, Cedar denies by default'),
    rateLimits: z.array(RateLimitRuleSchema).optional(),
    guardrails: GuardrailsSchema.optional(),
    publishedAt: z.iso.datetime(),
  })
  .describe('The compiled authorization policy bundle of one tenant (compacted)');

export const PolicyBundleRecord = defineEvent({
  topic: Topics.policyBundles,
  version: 1,
  schema: PolicyBundleSchema,
  key: (bundle) => bundle.tenant,
  description: 'The policy bundle of one tenant (Cedar policies, rate limits, guardrails), keyed by tenant.',
  example: {
    tenant: 'default',
    revision: 3,
    source:
      '@id("developers-call-tools")\npermit(principal in Gateway::Role::"developer", action == Gateway::Action::"tools/call", resource);',
    defaultDecision: 'deny',
    rateLimits: [{ id: 'per-agent', per: ['agent'], capacity: 50, refillPerSecond: 10 }],
    guardrails: { masking: { detectors: ['secrets', 'card'], arguments: true, results: true } },
    publishedAt: '2026-11-21T10:00:00.000Z',
  },
});

export type PolicyBundleValue = z.infer<typeof PolicyBundleSchema>;
export type RateLimitRule = z.infer<typeof RateLimitRuleSchema>;
export type MaskingSettings = z.infer<typeof MaskingSchema>;
export type GuardrailSettings = z.infer<typeof GuardrailsSchema>;
export type MaskingDetector = z.infer<typeof maskingDetector>;
