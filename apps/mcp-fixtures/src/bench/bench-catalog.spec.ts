import { BenchCatalog, countMethod, type MethodCounts } from './bench-catalog';

const request = (method: string, params?: Record<string, unknown>) => ({
  jsonrpc: '2.0' as const,
  id: 7,
  method,
  params,
});

describe('BenchCatalog', () => {
  const primary = new BenchCatalog('bench');

  it('negotiates a 2025 revision it serves, else offers its newest', () => {
    expect(primary.answer(request('initialize', { protocolVersion: '2025-06-18' }))).toMatchObject({
      result: { protocolVersion: '2025-06-18', serverInfo: { name: 'bench' } },
    });
    expect(primary.answer(request('initialize', { protocolVersion: '2026-07-28' }))).toMatchObject({
      result: { protocolVersion: '2025-11-25' },
    });
  });

  it('echoes, and returns a blob of exactly the bytes asked for', () => {
    expect(primary.answer(request('tools/call', { name: 'echo', arguments: { message: 'hi' } }))).toEqual({
      jsonrpc: '2.0',
      id: 7,
      result: { content: [{ type: 'text', text: 'hi' }] },
    });
    const blob = primary.answer(request('tools/call', { name: 'blob', arguments: { bytes: 1024 } })) as {
      result: { content: { text: string }[] };
    };
    expect(blob.result.content[0]?.text).toHaveLength(1024);
  });

  it('answers unknown tools, bad arguments and unknown methods with JSON-RPC errors', () => {
    expect(primary.answer(request('tools/call', { name: 'nope' }))).toMatchObject({
      error: { code: -32602 },
    });
    expect(primary.answer(request('tools/call', { name: 'blob', arguments: { bytes: -1 } }))).toMatchObject({
      error: { code: -32602 },
    });
    expect(primary.answer(request('resources/list'))).toMatchObject({ error: { code: -32601 } });
  });

  it('serves a catalog of numbered tools, and nothing for notifications', () => {
    const catalog = new BenchCatalog('catalog', 50);
    const listed = catalog.answer(request('tools/list')) as { result: { tools: { name: string }[] } };
    expect(listed.result.tools).toHaveLength(50);
    expect(
      catalog.answer(request('tools/call', { name: 'tool_49', arguments: { value: 'v' } })),
    ).toMatchObject({
      result: { content: [{ text: 'tool_49:v' }] },
    });
    expect(catalog.answer({ jsonrpc: '2.0', method: 'notifications/initialized' })).toBeUndefined();
  });

  it('counts requests per method', () => {
    const counts: MethodCounts = {};
    countMethod(counts, request('tools/list'));
    countMethod(counts, request('tools/list'));
    countMethod(counts, { jsonrpc: '2.0', id: 1 });
    expect(counts).toEqual({ 'tools/list': 2 });
  });
});
