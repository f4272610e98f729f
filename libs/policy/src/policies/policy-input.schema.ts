import { GuardrailsSchema, RateLimitRuleSchema } from '@gateway/contracts';
import { z } from 'zod';
import { InvalidPolicyRequestError } from './policy.errors';

/** The tenant names auth accepts. */
export const tenantNameSchema = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{0,62}$/,
    'expected 1-63 lower-case letters, digits or "-", not starting with "-"',
  );

/** Policy ids; "#" is left out, the bundle uses it to number several policies under one id. */
export const policyIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'expected 1-64 letters, digits, "_", "." or "-"');

const sourceSchema = z
  .string()
  .min(1, 'expected Cedar policy text')
  .max(100_000, 'expected at most 100000 characters');

/** PUT /api/v1/policies/:tenant/:id; absent fields keep their current values (new: enabled, no description). */
export const policyBodySchema = z
  .object({
    description: z.string().max(1_000).nullable().optional(),
    source: sourceSchema,
    enabled: z.boolean().optional(),
  })
  .strict();

/** POST /api/v1/policies/:tenant/validate: the text, and the id it would be stored under. */
export const validateBodySchema = z.object({ source: sourceSchema, id: policyIdSchema.optional() }).strict();

export const rateLimitsSchema = z.array(RateLimitRuleSchema).superRefine((rules, context) => {
  const seen = new Set<string>();
  rules.forEach((rule, index) => {
    if (seen.has(rule.id))
      context.addIssue({ code: 'custom', path: [index, 'id'], message: `duplicate rule id "${rule.id}"` });
    seen.add(rule.id);
  });
});

export const guardrailsSchema = GuardrailsSchema.strict();

function describeIssue(issue: z.core.$ZodIssue): string[] {
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys')
    return issue.keys.map((key) => `${[...path, key].join('.')}: unknown field`);
  return [`${path.join('.') || '(body)'}: ${issue.message}`];
}

/** Validates a path parameter or body; throws InvalidPolicyRequestError naming each bad field. */
export function parseRequestInput<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
  name?: string,
): z.infer<Schema> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.flatMap(describeIssue);
    throw new InvalidPolicyRequestError(
      name ? problems.map((problem) => problem.replace('(body)', name)) : problems,
    );
  }
  return parsed.data;
}
