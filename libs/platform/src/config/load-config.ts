import { z } from 'zod';

/** A configuration value that cannot be used; the message names the variable and the expected form. */
export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`Invalid configuration in ${source}:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function describeIssue(issue: z.core.$ZodIssue, prefix: string): string {
  const key = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
  return `${key || '(root)'}: ${issue.message}`;
}

/**
 * Validates raw configuration once, at start (STYLE.md rule 5). Each problem names the variable
 * or key and what was expected, so a bad value stops the process with an actionable message.
 */
export function parseConfig<Schema extends z.ZodType>(
  schema: Schema,
  raw: unknown,
  source: string,
  keyPrefix = '',
): z.infer<Schema> {
  const result = schema.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(
      source,
      result.error.issues.map((issue) => describeIssue(issue, keyPrefix)),
    );
  }
  return result.data;
}

/** Reads the variables a schema declares from the environment. */
export function loadEnvConfig<Schema extends z.ZodType>(
  schema: Schema,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<Schema> {
  return parseConfig(schema, env, 'environment variables');
}
