import { UriTemplate } from '@modelcontextprotocol/sdk/shared/uriTemplate.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { GatewayError, maxExposedNameLength } from '@gateway/mcp';
import { AggregatedCatalog } from './aggregated-catalog';
import { InMemorySource, RecordingLogger } from './in-memory-source.fixture';

function tool(name: string, extra: Partial<Tool> = {}): Tool {
  return { name, inputSchema: { type: 'object' }, ...extra };
}

function catalogOf(...sources: InMemorySource[]): AggregatedCatalog {
  return new AggregatedCatalog(sources, { defaultDeadlineMs: 1000, logger: new RecordingLogger() });
}

describe('AggregatedCatalog with a single server', () => {
  const richTool = tool('echo', {
    title: 'Echo',
    description: 'Echoes',
    annotations: { readOnlyHint: true },
    icons: [{ src: 'https://example.com/echo.png' }],
    outputSchema: { type: 'object', properties: { text: { type: 'string' } } },
    _meta: { vendor: 'x' },
  });
  const files = new InMemorySource('files-id', 'files', {
    tools: [richTool],
    resources: [{ uri: 'file:///a.txt', name: 'a', annotations: { priority: 0.5 } }],
    resourceTemplates: [{ uriTemplate: 'file:///{path}', name: 'file' }],
    prompts: [{ name: 'review', arguments: [{ name: 'path', required: true }] }],
  });
  const catalog = catalogOf(files);

  it('exposes tools under their own names with all their metadata', async () => {
    expect(await catalog.list('tools')).toEqual([richTool]);
  });

  it('exposes resources, templates and prompts unchanged', async () => {
    expect(await catalog.list('resources')).toEqual([
      { uri: 'file:///a.txt', name: 'a', annotations: { priority: 0.5 } },
    ]);
    expect(await catalog.list('resourceTemplates')).toEqual([
      { uriTemplate: 'file:///{path}', name: 'file' },
    ]);
    expect(await catalog.list('prompts')).toEqual([
      { name: 'review', arguments: [{ name: 'path', required: true }] },
    ]);
  });

  it('routes a tool and a prompt to the server by their upstream names', async () => {
    await expect(catalog.resolveTool('echo')).resolves.toMatchObject({
      serverId: 'files-id',
      server: 'files',
      upstreamName: 'echo',
      uris: { serverLabel: 'files', prefixed: false },
    });
    await expect(catalog.resolvePrompt('review')).resolves.toMatchObject({ upstreamName: 'review' });
  });

  it('routes any URI to the single server, listed or not', async () => {
    await expect(catalog.resolveResource('file:///not/listed')).resolves.toMatchObject({
      serverId: 'files-id',
      upstreamUri: 'file:///not/listed',
    });
  });
});

describe('AggregatedCatalog with several servers', () => {
  const alpha = new InMemorySource('alpha-id', 'alpha', {
    tools: [tool('search', { description: 'alpha search' }), tool('read.file')],
    resources: [{ uri: 'file:///a.txt', name: 'a' }],
    resourceTemplates: [{ uriTemplate: 'file:///{path}', name: 'file', mimeType: 'text/plain' }],
    prompts: [{ name: 'review' }],
  });
  const beta = new InMemorySource('beta-id', 'beta', {
    tools: [tool('search', { description: 'beta search' }), tool(`x${'y'.repeat(80)}`)],
    resources: [{ uri: 'file:///a.txt', name: 'a' }],
    prompts: [{ name: 'review' }],
  });
  const catalog = catalogOf(alpha, beta);

  it('prefixes every name with its server and keeps the names within the alphabet and length', async () => {
    const names = (await catalog.list('tools')).map((listed) => listed.name);
    expect(names.slice(0, 3)).toEqual(['alpha_search', 'alpha_read_file', 'beta_search']);
    expect(names).toHaveLength(4);
    for (const name of names) {
      expect(name).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(name.length).toBeLessThanOrEqual(maxExposedNameLength);
    }
  });

  it('keeps tools of the same name on two servers both callable', async () => {
    const tools = await catalog.list('tools');
    expect(tools.find((listed) => listed.name === 'beta_search')?.description).toBe('beta search');
    await expect(catalog.resolveTool('alpha_search')).resolves.toMatchObject({
      serverId: 'alpha-id',
      upstreamName: 'search',
    });
    await expect(catalog.resolveTool('beta_search')).resolves.toMatchObject({
      serverId: 'beta-id',
      upstreamName: 'search',
    });
  });

  it('routes sanitized and cut names back to the upstream names', async () => {
    const long = (await catalog.list('tools'))[3]!.name;
    expect(long).toHaveLength(maxExposedNameLength);
    await expect(catalog.resolveTool(long)).resolves.toMatchObject({ upstreamName: `x${'y'.repeat(80)}` });
    await expect(catalog.resolveTool('alpha_read_file')).resolves.toMatchObject({
      upstreamName: 'read.file',
    });
  });

  it('prefixes prompts the same way', async () => {
    expect((await catalog.list('prompts')).map((prompt) => prompt.name)).toEqual([
      'alpha_review',
      'beta_review',
    ]);
    await expect(catalog.resolvePrompt('beta_review')).resolves.toMatchObject({ serverId: 'beta-id' });
  });

  it('answers -32602 for a tool or prompt nobody has', async () => {
    await expect(catalog.resolveTool('search')).rejects.toMatchObject({
      code: -32602,
      message: 'Unknown tool: search',
    });
    await expect(catalog.resolvePrompt('review')).rejects.toMatchObject({
      code: -32602,
      message: 'Unknown prompt: review',
    });
  });

  it('exposes equal resource URIs of two servers as two gateway URIs that map back', async () => {
    const uris = (await catalog.list('resources')).map((resource) => resource.uri);
    expect(uris).toEqual(['gateway://alpha/file:///a.txt', 'gateway://beta/file:///a.txt']);
    await expect(catalog.resolveResource(uris[1]!)).resolves.toMatchObject({
      serverId: 'beta-id',
      upstreamUri: 'file:///a.txt',
      uris: { serverLabel: 'beta', prefixed: true },
    });
  });

  it('exposes templates whose expansions route to the upstream URI', async () => {
    const [template] = await catalog.list('resourceTemplates');
    expect(template).toEqual({
      uriTemplate: 'gateway://alpha/file:///{path}',
      name: 'file',
      mimeType: 'text/plain',
    });
    const uri = new UriTemplate(template!.uriTemplate).expand({ path: 'notes.md' });
    await expect(catalog.resolveResource(uri)).resolves.toMatchObject({
      serverId: 'alpha-id',
      upstreamUri: 'file:///notes.md',
    });
  });

  it('answers -32002 for a URI of no exposed server', async () => {
    for (const uri of ['gateway://gamma/file:///a.txt', 'file:///a.txt']) {
      const failure = await catalog.resolveResource(uri).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(GatewayError);
      expect(failure).toMatchObject({ code: -32002, message: `Unknown resource: ${uri}`, data: { uri } });
    }
  });
});

describe('AggregatedCatalog name collisions', () => {
  it('keeps two tools that sanitize to the same name both callable', async () => {
    const files = new InMemorySource('files-id', 'files', { tools: [tool('read.file'), tool('read_file')] });
    const catalog = catalogOf(files);
    const names = (await catalog.list('tools')).map((listed) => listed.name);
    expect(names[1]).toBe('read_file');
    expect(names[0]).toMatch(/^read_file_[0-9a-f]{8}$/);
    await expect(catalog.resolveTool(names[0]!)).resolves.toMatchObject({ upstreamName: 'read.file' });
    await expect(catalog.resolveTool(names[1]!)).resolves.toMatchObject({ upstreamName: 'read_file' });
  });

  it('keeps apart a server prefix and a tool name that join to the same name', async () => {
    const a = new InMemorySource('a-id', 'a', { tools: [tool('b_c')] });
    const ab = new InMemorySource('ab-id', 'a_b', { tools: [tool('c')] });
    const catalog = catalogOf(a, ab);
    const [first, second] = (await catalog.list('tools')).map((listed) => listed.name);
    expect(first).not.toBe(second);
    await expect(catalog.resolveTool(first!)).resolves.toMatchObject({
      serverId: 'a-id',
      upstreamName: 'b_c',
    });
    await expect(catalog.resolveTool(second!)).resolves.toMatchObject({
      serverId: 'ab-id',
      upstreamName: 'c',
    });
  });

  it('lists a tool an upstream lists twice once', async () => {
    const files = new InMemorySource('files-id', 'files', { tools: [tool('read'), tool('read')] });
    expect(await catalogOf(files).list('tools')).toHaveLength(1);
  });

  it('gives two servers of the same name distinct labels in names and URIs', async () => {
    const first = new InMemorySource('one', 'docs', {
      tools: [tool('get')],
      resources: [{ uri: 'x:1', name: 'x' }],
    });
    const second = new InMemorySource('two', 'docs', {
      tools: [tool('get')],
      resources: [{ uri: 'x:1', name: 'x' }],
    });
    const catalog = catalogOf(first, second);
    const names = (await catalog.list('tools')).map((listed) => listed.name);
    const uris = (await catalog.list('resources')).map((resource) => resource.uri);
    expect(new Set(names).size).toBe(2);
    expect(new Set(uris).size).toBe(2);
    await expect(catalog.resolveResource(uris[1]!)).resolves.toMatchObject({ serverId: 'two' });
    await expect(catalog.resolveTool(names[0]!)).resolves.toMatchObject({ serverId: 'one' });
  });
});
