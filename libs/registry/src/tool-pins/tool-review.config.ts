import { loadEnvConfig } from '@gateway/platform';
import { z } from 'zod';
import type { ToolReviewMode } from './tool-pin.decision';

const toolReviewEnvSchema = z.object({
  REGISTRY_TOOL_REVIEW: z
    .enum(['enforce', 'off'], { error: 'expected "enforce" (the default) or "off"' })
    .default('enforce'),
});

export interface ToolReviewConfig {
  /** enforce: pins, quarantines and holds; off: every definition the router reports is approved. */
  readonly mode: ToolReviewMode;
}

export const TOOL_REVIEW_CONFIG = Symbol('TOOL_REVIEW_CONFIG');

export function loadToolReviewConfig(env: NodeJS.ProcessEnv = process.env): ToolReviewConfig {
  return { mode: loadEnvConfig(toolReviewEnvSchema, env).REGISTRY_TOOL_REVIEW };
}
