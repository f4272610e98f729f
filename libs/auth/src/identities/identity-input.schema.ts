import { z } from 'zod';

/* What an admin sends to create or change tenants, principals, teams and roles. */

function pattern(regex: RegExp, rule: string): z.ZodString {
  return z.string({ error: rule }).regex(regex, rule);
}

const tenantRule = 'expected 1-63 lower-case letters, digits or "-", starting with a letter or digit';
export const tenantName = pattern(/^[a-z0-9][a-z0-9-]{0,62}$/, tenantRule);

const nameRule = 'expected 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit';
export const entryName = pattern(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, nameRule);

const userNameRule =
  'expected a user name or email address: 1-128 letters, digits, ".", "_", "-", "+" or "@"';
export const userName = pattern(/^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$/, userNameRule);

/** RFC 6749 §3.3: a scope token is printable ASCII without space, '"' or '\'. */
const scopeRule = 'expected a scope: printable ASCII without spaces, quotes or backslashes';
export const scopeToken = pattern(/^[\x21\x23-\x5B\x5D-\x7E]{1,128}$/, scopeRule);

const principalRule = 'expected a principal id: "user:<name or email>" or "agent:<name>"';
export const principalId = pattern(
  /^(user:[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}|agent:[A-Za-z0-9][A-Za-z0-9._-]{0,63})$/,
  principalRule,
);

const description = z.string({ error: 'expected text' }).max(1_000, 'expected at most 1000 characters');

function uniqueList<Item extends z.ZodType<string>>(item: Item) {
  return z
    .array(item, { error: 'expected a list' })
    .max(100, 'expected at most 100 entries')
    .refine((items) => new Set(items).size === items.length, 'expected each entry once');
}

export const tenantInputSchema = z.object({ name: tenantName, description: description.optional() }).strict();

const tenantField = { tenant: tenantName.optional() };

export const userInputSchema = z
  .object({
    ...tenantField,
    name: userName,
    description: description.optional(),
    roles: uniqueList(entryName).optional(),
    teams: uniqueList(entryName).optional(),
  })
  .strict();

export const userUpdateSchema = z
  .object({
    description: description.optional(),
    roles: uniqueList(entryName).optional(),
    teams: uniqueList(entryName).optional(),
  })
  .strict();

export const agentInputSchema = z
  .object({
    ...tenantField,
    name: entryName,
    description: description.optional(),
    scopes: uniqueList(scopeToken).optional(),
    roles: uniqueList(entryName).optional(),
    teams: uniqueList(entryName).optional(),
  })
  .strict();

export const agentUpdateSchema = z
  .object({
    description: description.optional(),
    scopes: uniqueList(scopeToken).optional(),
    roles: uniqueList(entryName).optional(),
    teams: uniqueList(entryName).optional(),
  })
  .strict();

export const teamInputSchema = z
  .object({
    ...tenantField,
    name: entryName,
    description: description.optional(),
    roles: uniqueList(entryName).optional(),
  })
  .strict();

export const teamUpdateSchema = z
  .object({ description: description.optional(), roles: uniqueList(entryName).optional() })
  .strict();

export const roleInputSchema = z
  .object({ ...tenantField, name: entryName, description: description.optional() })
  .strict();

export const roleUpdateSchema = z.object({ description: description.optional() }).strict();

export const tenantQuerySchema = z.object({ tenant: tenantName.optional() });

const futureRule = 'expected an ISO 8601 date-time in the future';
export const futureInstant = z.iso
  .datetime({ offset: true, error: futureRule })
  .transform((value) => new Date(value))
  .refine((date) => date.getTime() > Date.now(), futureRule);

export const apiKeyInputSchema = z
  .object({
    ...tenantField,
    principal: principalId,
    name: z.string({ error: 'expected a name for the key' }).min(1, 'expected a name for the key').max(200),
    scopes: uniqueList(scopeToken),
    expiresAt: futureInstant.optional(),
  })
  .strict();

export const apiKeyQuerySchema = z.object({
  tenant: tenantName.optional(),
  principal: principalId.optional(),
});

export const clientSecretInputSchema = z.object({ expiresAt: futureInstant.optional() }).strict();

export type UserInput = z.infer<typeof userInputSchema>;
export type AgentInput = z.infer<typeof agentInputSchema>;
export type TeamInput = z.infer<typeof teamInputSchema>;
export type RoleInput = z.infer<typeof roleInputSchema>;
export type ApiKeyInput = z.infer<typeof apiKeyInputSchema>;
