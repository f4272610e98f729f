import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { GatewayError, JsonRpcErrorCode } from '@gateway/mcp';
import { InMemorySource } from '../aggregation/in-memory-source.fixture';
import { loadRouterConfig } from '../router-config';
import { DispatchService, toRpcError } from './dispatch.service';

describe('toRpcError', () => {
  it('keeps the code, message and data of a gateway error', () => {
    const error = new GatewayError(
      JsonRpcErrorCode.upstreamUnavailable,
      'Upstream server "x" is unavailable',
      { server: 'x' },
    );
    expect(toRpcError(error)).toEqual({
      code: -32010,
      message: 'Upstream server "x" is unavailable',
      dataJson: '{"server":"x"}',
    });
  });

  it('passes an upstream JSON-RPC error through with its code', () => {
    expect(toRpcError(new McpError(ErrorCode.InvalidParams, 'bad arguments'))).toMatchObject({
      code: -32602,
    });
  });

  it('answers anything else as an internal error', () => {
    expect(toRpcError(new TypeError('boom'))).toEqual({ code: -32603, message: 'boom', dataJson: '' });
  });
});

describe('DispatchService catalog caching', () => {
  const echo = { name: 'echo', inputSchema: { type: 'object' as const } };

  async function upstreamListsAfterTwoLists(listCacheTtlMs: string): Promise<number> {
    const config = loadRouterConfig({ ROUTER_LIST_CACHE_TTL_MS: listCacheTtlMs });
    // Only the catalog is used here; the pool, views, attachments, access control and tool
    // review come in at module init or on requests.
    const unused = undefined as never;
    const service = new DispatchService(unused, unused, unused, config, unused, unused);
    const source = new InMemorySource('one', 'one', { tools: [echo] });
    service.catalog.addSource(source);
    await service.catalog.list('tools');
    await service.catalog.list('tools');
    return source.callsOf('tools');
  }

  it('serves a second list from cache under the default ROUTER_LIST_CACHE_TTL_MS', async () => {
    await expect(upstreamListsAfterTwoLists('300000')).resolves.toBe(1);
  });

  it('asks the upstream for every list when ROUTER_LIST_CACHE_TTL_MS is 0', async () => {
    await expect(upstreamListsAfterTwoLists('0')).resolves.toBe(2);
  });
});
