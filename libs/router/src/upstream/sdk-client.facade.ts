import type { Client, StandardSchemaV1 } from '@modelcontextprotocol/client';
import type { ListToolsResult } from '@modelcontextprotocol/sdk/types.js';

/**
 * The two SDK client calls the first dispatch code makes (`request` with a result schema,
 * `listTools` page by page), with the v1 SDK's result types it was written against, over a v2
 * client of a shared session. Transitional: `UpstreamServer.request` replaces it.
 */
export class SdkClientFacade {
  constructor(private readonly client: Client) {}

  request<Schema extends StandardSchemaV1>(
    request: { method: string; params?: Record<string, unknown> },
    resultSchema: Schema,
    options?: { timeout?: number },
  ): Promise<StandardSchemaV1.InferOutput<Schema>> {
    return this.client.request(request, resultSchema, options);
  }

  async listTools(
    params?: Record<string, unknown>,
    options?: { timeout?: number },
  ): Promise<ListToolsResult> {
    const page = await this.client.request({ method: 'tools/list', ...(params && { params }) }, options);
    return page as unknown as ListToolsResult;
  }
}
