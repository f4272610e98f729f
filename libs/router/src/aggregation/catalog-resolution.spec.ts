import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { AggregatedCatalog, type AggregatedCatalogOptions } from './aggregated-catalog';
import type { CatalogView } from './catalog-view';
import { InMemorySource, RecordingLogger } from './in-memory-source.fixture';

function tool(name: string): Tool {
  return { name, inputSchema: { type: 'object' } };
}

function catalogOf(
  sources: InMemorySource[],
  options: Partial<AggregatedCatalogOptions> = {},
): AggregatedCatalog {
  return new AggregatedCatalog(sources, {
    defaultDeadlineMs: 1000,
    logger: new RecordingLogger(),
    ...options,
  });
}

describe('AggregatedCatalog resolution', () => {
  describe('a name not seen yet', () => {
    it('is found after one refresh when the server has it by now', async () => {
      const files = new InMemorySource('files-id', 'files', { tools: [tool('read')] });
      const catalog = catalogOf([files], { missRefreshMinAgeMs: 0 });
      await catalog.list('tools');
      files.set('tools', [tool('read'), tool('write')]);
      await expect(catalog.resolveTool('write')).resolves.toMatchObject({ upstreamName: 'write' });
      expect(files.callsOf('tools')).toBe(2);
      // The refreshed list serves the next lookups and lists.
      await catalog.resolveTool('write');
      expect((await catalog.list('tools')).map((listed) => listed.name)).toEqual(['read', 'write']);
      expect(files.callsOf('tools')).toBe(2);
    });

    it('costs exactly one refresh before it is answered as unknown', async () => {
      const files = new InMemorySource('files-id', 'files', { prompts: [{ name: 'p' }] });
      const catalog = catalogOf([files], { missRefreshMinAgeMs: 0 });
      await expect(catalog.resolvePrompt('nope')).rejects.toMatchObject({ message: 'Unknown prompt: nope' });
      expect(files.callsOf('prompts')).toBe(2);
    });

    it('does not make the servers list again while their lists are younger than the minimum age', async () => {
      let now = 1_000_000;
      const files = new InMemorySource('files-id', 'files', { tools: [tool('read')] });
      const catalog = catalogOf([files], { missRefreshMinAgeMs: 5000, now: () => now });
      await catalog.list('tools');
      files.set('tools', [tool('read'), tool('write')]);
      await expect(catalog.resolveTool('write')).rejects.toMatchObject({ code: -32602 });
      await expect(catalog.resolveTool('write')).rejects.toMatchObject({ code: -32602 });
      expect(files.callsOf('tools')).toBe(1);
      now += 5000;
      await expect(catalog.resolveTool('write')).resolves.toMatchObject({ upstreamName: 'write' });
      expect(files.callsOf('tools')).toBe(2);
    });

    it('refreshes only the servers of the view', async () => {
      const alpha = new InMemorySource('alpha-id', 'alpha', { tools: [tool('a')] });
      const beta = new InMemorySource('beta-id', 'beta', { tools: [tool('b')] });
      const catalog = catalogOf([alpha, beta], { missRefreshMinAgeMs: 0 });
      const view: CatalogView = { name: 'alpha-only', servers: ['alpha'] };
      await expect(catalog.resolveTool('b', view)).rejects.toMatchObject({ code: -32602 });
      expect(alpha.callsOf('tools')).toBe(2);
      expect(beta.calls).toEqual([]);
    });
  });

  describe('completion references', () => {
    const docs = new InMemorySource('docs-id', 'docs', {
      prompts: [{ name: 'summarize', arguments: [{ name: 'language' }] }],
      resourceTemplates: [{ uriTemplate: 'docs://{section}', name: 'section' }],
    });
    const other = new InMemorySource('other-id', 'other');
    const catalog = catalogOf([docs, other]);

    it('routes a prompt reference with the upstream prompt name', async () => {
      await expect(
        catalog.resolveCompletionRef({ type: 'ref/prompt', name: 'docs_summarize' }),
      ).resolves.toEqual({
        serverId: 'docs-id',
        server: 'docs',
        uris: { serverLabel: 'docs', prefixed: true },
        ref: { type: 'ref/prompt', name: 'summarize' },
      });
    });

    it('routes a resource reference with the upstream URI template', async () => {
      const [template] = await catalog.list('resourceTemplates');
      await expect(
        catalog.resolveCompletionRef({ type: 'ref/resource', uri: template!.uriTemplate }),
      ).resolves.toMatchObject({
        serverId: 'docs-id',
        ref: { type: 'ref/resource', uri: 'docs://{section}' },
      });
    });

    it('refuses references the exposure does not show', async () => {
      await expect(
        catalog.resolveCompletionRef({ type: 'ref/prompt', name: 'summarize' }),
      ).rejects.toMatchObject({
        code: -32602,
      });
      await expect(
        catalog.resolveCompletionRef({ type: 'ref/resource', uri: 'gateway://nowhere/docs://{section}' }),
      ).rejects.toMatchObject({ code: -32002 });
      const view: CatalogView = {
        name: 'docs-selection',
        resources: [{ server: 'docs', uri: 'docs://intro' }],
      };
      await expect(
        catalog.resolveCompletionRef({ type: 'ref/resource', uri: 'docs://{section}' }, view),
      ).rejects.toMatchObject({ code: -32002 });
    });
  });
});
