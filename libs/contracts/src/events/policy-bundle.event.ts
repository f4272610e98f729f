import { z } from 'zod';
import { defineEvent } from './event-definition';
import { Topics } from './topics';

export const PolicyBundleSchema = z
  .object({
    tenant: z.string().min(1),
    revision: z.number().int().nonnegative(),
    source: z.string().describe('Policies in their source language, compiled by the evaluator'),
    defaultDecision: z.enum(['allow', 'deny']),
    publishedAt: z.iso.datetime(),
  })
  .describe('The compiled authorization policy bundle of one tenant (compacted)');

export const PolicyBundleRecord = defineEvent({
  topic: Topics.policyBundles,
  version: 1,
  schema: PolicyBundleSchema,
  key: (bundle) => bundle.tenant,
  description: 'The authorization policy bundle of one tenant, keyed by tenant.',
  example: {
    tenant: 'default',
    revision: 3,
    source: 'permit(principal, action, resource);',
    defaultDecision: 'deny',
    publishedAt: '2026-11-21T10:00:00.000Z',
  },
});

export type PolicyBundleValue = z.infer<typeof PolicyBundleSchema>;
