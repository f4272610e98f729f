import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { ToolDefinition } from './tool-definition.scanner';

/**
 * SHA-256 (hex) of the definition's RFC 8785 canonical JSON: the same definition gives the same
 * fingerprint whatever its key order or number formatting, in the router that saw it upstream
 * and in the registry that read it back from jsonb. Only what a model reads counts; `_meta`,
 * icons and the like may change without a review.
 */
export function toolFingerprint(tool: ToolDefinition): string {
  const { name, title, description, inputSchema, outputSchema, annotations } = tool;
  const canonical = canonicalize({ name, title, description, inputSchema, outputSchema, annotations });
  return createHash('sha256')
    .update(canonical ?? '', 'utf8')
    .digest('hex');
}
