import { z } from 'zod';
import { InvalidAuthRequestError } from '../auth.errors';

function describeIssue(issue: z.core.$ZodIssue): string[] {
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => `${[...path, key].join('.')}: unknown field`);
  }
  return [`${path.join('.') || '(body)'}: ${issue.message}`];
}

/** Validates a request body or query; throws InvalidAuthRequestError naming each bad field. */
export function parseRequestInput<Schema extends z.ZodType>(schema: Schema, input: unknown): z.infer<Schema> {
  const parsed = schema.safeParse(input ?? {});
  if (!parsed.success) throw new InvalidAuthRequestError(parsed.error.issues.flatMap(describeIssue));
  return parsed.data;
}

/** The tenant a request is about: the one it names, else the acting admin's, else the default. */
export function requestTenant(named: string | undefined, actor: { tenant: string } | undefined): string {
  return named ?? actor?.tenant ?? 'default';
}
