import { GuardrailsSchema, type GuardrailSettings, type RateLimitRule } from '@gateway/contracts';
import { ConfigError, parseConfig } from '@gateway/platform';
import { gatewayCedarSchema, type PolicyError, validatePolicies } from '@gateway/security';
import { type Document, isScalar, LineCounter, parseDocument, Scalar } from 'yaml';
import { z } from 'zod';
import { policyIdSchema, rateLimitsSchema, tenantNameSchema } from './policies/policy-input.schema';

const declaredTenantSchema = z
  .object({
    policies: z.record(policyIdSchema, z.string().min(1, 'expected Cedar policy text')).default({}),
    rateLimits: rateLimitsSchema.optional(),
    guardrails: GuardrailsSchema.strict().optional(),
  })
  .strict();

export const policyConfigFileSchema = z
  .object({ tenants: z.record(tenantNameSchema, declaredTenantSchema).default({}) })
  .strict();

/** What POLICY_CONFIG_FILE declares for one tenant; applied at start with the actor "config". */
export interface DeclaredTenant {
  readonly tenant: string;
  /** Policy id → Cedar text (one or more policies). */
  readonly policies: Readonly<Record<string, string>>;
  readonly rateLimits?: readonly RateLimitRule[];
  readonly guardrails?: GuardrailSettings;
}

/**
 * Where a policy error is in the file. A literal block (`id: |`) keeps the text's lines and
 * indents each by the block's indentation, so its positions map onto the file's; in any other
 * form of scalar they are positions in the policy text.
 */
function describePosition(
  document: Document,
  lines: LineCounter,
  text: string,
  path: string[],
  error: PolicyError,
): string {
  const node = document.getIn(path, true);
  if (isScalar(node) && node.type === Scalar.BLOCK_LITERAL && node.range) {
    const header = lines.linePos(node.range[0]).line;
    const content = text.split('\n').slice(header);
    const indent = (content.find((line) => line.trim() !== '') ?? '').search(/\S/);
    return `line ${header + error.line}, column ${indent + error.column}`;
  }
  return `line ${error.line}, column ${error.column} of the policy`;
}

/** Parses and checks the file: its shape, then every policy against the Cedar schema. */
export function parsePolicyConfigFile(text: string, file: string): DeclaredTenant[] {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines });
  if (document.errors.length > 0) {
    throw new ConfigError(
      file,
      document.errors.map((error) => `not valid YAML: ${error.message}`),
    );
  }
  const parsed = parseConfig(policyConfigFileSchema, document.toJS() ?? {}, file);
  const problems: string[] = [];
  const declared = Object.entries(parsed.tenants).map(([tenant, settings]): DeclaredTenant => {
    for (const [id, source] of Object.entries(settings.policies)) {
      const validation = validatePolicies(source, gatewayCedarSchema, { storedAs: id });
      if (validation.ok) continue;
      const path = ['tenants', tenant, 'policies', id];
      for (const error of validation.errors) {
        const where = describePosition(document, lines, text, path, error);
        problems.push(`${path.join('.')}: policy ${error.policyId ?? id}, ${where}: ${error.message}`);
      }
    }
    return { tenant, ...settings };
  });
  if (problems.length > 0) throw new ConfigError(file, problems);
  return declared;
}
