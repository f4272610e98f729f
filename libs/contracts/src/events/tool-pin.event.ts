import { z } from 'zod';
import { defineEvent } from './event-definition';
import { Topics } from './topics';

export const toolPinStatus = z.enum(['approved', 'quarantined', 'held']);

export const ToolFindingSchema = z.object({
  kind: z.enum(['hidden-instructions', 'invisible-unicode', 'shadowing']),
  /** Where in the definition: "description", "inputSchema.properties.path.description", ... */
  path: z.string(),
  detail: z.string(),
});

export const ToolPinSchema = z
  .object({
    serverId: z.string().min(1),
    tool: z.string().min(1).describe("The upstream's own name for the tool"),
    status: toolPinStatus.describe(
      'approved: served; quarantined: the scan found poisoning; held: changed since approval',
    ),
    approvedFingerprint: z
      .string()
      .optional()
      .describe('SHA-256 of the canonical definition last approved; absent until one is'),
    observedFingerprint: z.string().describe('SHA-256 of the canonical definition last seen upstream'),
    findings: z.array(ToolFindingSchema),
    decidedBy: z.string().describe('"scan" for automatic decisions, else the admin principal'),
    decidedAt: z.iso.datetime(),
  })
  .describe('The review state of one upstream tool definition (compacted)');

export const ToolPinRecord = defineEvent({
  topic: Topics.toolPins,
  version: 1,
  schema: ToolPinSchema,
  key: (pin) => `${pin.serverId}/${pin.tool}`,
  description:
    'The review state of one upstream tool, keyed by server id and tool name: approved, quarantined or held.',
  example: {
    serverId: 'everything',
    tool: 'echo',
    status: 'approved',
    approvedFingerprint: '5d41402abc4b2a76b9719d911017c592aa3c3f1e1c7b0d4c1a63a0b1f3f6f0e2',
    observedFingerprint: '5d41402abc4b2a76b9719d911017c592aa3c3f1e1c7b0d4c1a63a0b1f3f6f0e2',
    findings: [],
    decidedBy: 'scan',
    decidedAt: '2026-11-21T10:00:00.000Z',
  },
});

export type ToolPinValue = z.infer<typeof ToolPinSchema>;
export type ToolFinding = z.infer<typeof ToolFindingSchema>;
