import { z } from 'zod';
import { InvalidToolReportError } from './tool-pin.errors';

const jsonObject = z.record(z.string(), z.unknown());

/** The fields of an MCP Tool the review covers; the rest (_meta, icons, execution) is dropped. */
const reportedToolSchema = z.object({
  name: z.string().min(1),
  title: z.string().optional(),
  description: z.string().optional(),
  inputSchema: jsonObject.optional(),
  outputSchema: jsonObject.optional(),
  annotations: jsonObject.optional(),
});

export type ReportedTool = z.infer<typeof reportedToolSchema>;

/** Reads one entry of ReportTools' tools_json, naming the entry in what it rejects. */
export function parseReportedTool(json: string, index: number): ReportedTool {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new InvalidToolReportError(`tools_json[${index}]: not JSON (${(error as Error).message})`);
  }
  const result = reportedToolSchema.safeParse(value);
  if (!result.success) {
    throw new InvalidToolReportError(`tools_json[${index}]: ${z.prettifyError(result.error)}`);
  }
  const { name, title, description, inputSchema, outputSchema, annotations } = result.data;
  return {
    name,
    ...(title !== undefined && { title }),
    ...(description !== undefined && { description }),
    ...(inputSchema !== undefined && { inputSchema }),
    ...(outputSchema !== undefined && { outputSchema }),
    ...(annotations !== undefined && { annotations }),
  };
}
