import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { GatewayError } from '@gateway/mcp';
import { AggregatedCatalog, type CatalogChange } from './aggregated-catalog';
import { InMemorySource, RecordingLogger, waitFor } from './in-memory-source.fixture';

function tool(name: string): Tool {
  return { name, inputSchema: { type: 'object' } };
}

function names(tools: Tool[]): string[] {
  return tools.map((listed) => listed.name);
}

describe('AggregatedCatalog fan-out', () => {
  let logger: RecordingLogger;

  beforeEach(() => {
    logger = new RecordingLogger();
  });

  function catalogOf(...sources: InMemorySource[]): AggregatedCatalog {
    return new AggregatedCatalog(sources, { defaultDeadlineMs: 1000, logger, missRefreshMinAgeMs: 0 });
  }

  it('asks every server concurrently', async () => {
    const alpha = new InMemorySource('alpha-id', 'alpha', { tools: [tool('a')] });
    const beta = new InMemorySource('beta-id', 'beta', { tools: [tool('b')] });
    const releaseAlpha = alpha.hold();
    const releaseBeta = beta.hold();
    const listing = catalogOf(alpha, beta).list('tools');
    // Both are asked before either has answered.
    await waitFor(() => alpha.callsOf('tools') === 1 && beta.callsOf('tools') === 1);
    releaseBeta();
    releaseAlpha();
    expect(names(await listing)).toEqual(['alpha_a', 'beta_b']);
  });

  describe('a server past its deadline', () => {
    it('is left out and reported when it fails open, and its request is aborted', async () => {
      const fast = new InMemorySource('fast-id', 'fast', { tools: [tool('quick')] });
      const slow = new InMemorySource('slow-id', 'slow', { tools: [tool('late')] }, { deadlineMs: 30 });
      slow.hang();
      expect(names(await catalogOf(fast, slow).list('tools'))).toEqual(['fast_quick']);
      const signal = slow.calls[0]!.signal;
      expect(signal.aborted).toBe(true);
      expect(signal.reason).toMatchObject({ code: -32011 });
      expect(logger.warnings).toEqual([
        expect.objectContaining({ fields: expect.objectContaining({ server: 'slow', kind: 'tools' }) }),
      ]);
    });

    it('fails the whole list, naming the server, when it fails closed', async () => {
      const fast = new InMemorySource('fast-id', 'fast', { tools: [tool('quick')] });
      const slow = new InMemorySource('slow-id', 'slow', {}, { deadlineMs: 30, failMode: 'closed' });
      slow.hang();
      const failure = await catalogOf(fast, slow)
        .list('tools')
        .catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(GatewayError);
      expect(failure).toMatchObject({
        code: -32011,
        message: 'tools/list of server "slow" did not answer within 30 ms',
        data: { server: 'slow', serverId: 'slow-id' },
      });
    });

    it('takes the catalog default deadline when it sets none', async () => {
      const slow = new InMemorySource('slow-id', 'slow', {}, { failMode: 'closed' });
      slow.hang();
      const catalog = new AggregatedCatalog([slow], { defaultDeadlineMs: 20, logger });
      await expect(catalog.list('prompts')).rejects.toMatchObject({
        message: expect.stringContaining('20 ms'),
      });
    });
  });

  describe('a failing server', () => {
    it('is left out when it fails open', async () => {
      const good = new InMemorySource('good-id', 'good', { prompts: [{ name: 'p' }] });
      const bad = new InMemorySource('bad-id', 'bad', { prompts: [{ name: 'q' }] });
      bad.failWith(new Error('connection reset'));
      expect((await catalogOf(good, bad).list('prompts')).map((prompt) => prompt.name)).toEqual(['good_p']);
      expect(logger.warnings[0]?.fields).toMatchObject({
        server: 'bad',
        error: 'prompts/list of server "bad" failed: connection reset',
      });
    });

    it('fails the whole list when it fails closed, keeping a gateway error code of its own', async () => {
      const good = new InMemorySource('good-id', 'good');
      const bad = new InMemorySource('bad-id', 'bad', {}, { failMode: 'closed' });
      bad.failWith(new Error('connection reset'));
      await expect(catalogOf(good, bad).list('resources')).rejects.toMatchObject({
        code: -32010,
        message: 'resources/list of server "bad" failed: connection reset',
      });
      bad.failWith(new GatewayError(-32011, 'upstream timed out'));
      await expect(catalogOf(good, bad).list('resourceTemplates')).rejects.toMatchObject({
        code: -32011,
        message: 'resources/templates/list of server "bad" failed: upstream timed out',
      });
    });

    it('is not cached: the next list asks it again and shows it once it answers', async () => {
      const good = new InMemorySource('good-id', 'good', { tools: [tool('g')] });
      const flaky = new InMemorySource('flaky-id', 'flaky', { tools: [tool('f')] });
      const catalog = catalogOf(good, flaky);
      flaky.failWith(new Error('down'));
      expect(names(await catalog.list('tools'))).toEqual(['good_g']);
      flaky.failWith(undefined);
      expect(names(await catalog.list('tools'))).toEqual(['good_g', 'flaky_f']);
      expect(flaky.callsOf('tools')).toBe(2);
      expect(good.callsOf('tools')).toBe(1);
    });
  });

  describe('cache', () => {
    it('answers a second list from the cache', async () => {
      const files = new InMemorySource('files-id', 'files', { tools: [tool('read')] });
      const catalog = catalogOf(files);
      await catalog.list('tools');
      files.set('tools', [tool('read'), tool('write')]);
      expect(names(await catalog.list('tools'))).toEqual(['read']);
      expect(files.callsOf('tools')).toBe(1);
    });

    it('keeps kinds apart', async () => {
      const files = new InMemorySource('files-id', 'files');
      const catalog = catalogOf(files);
      await catalog.list('tools');
      await catalog.list('prompts');
      expect(files.callsOf('tools')).toBe(1);
      expect(files.callsOf('prompts')).toBe(1);
    });

    it('shares one request in flight between concurrent lists', async () => {
      const files = new InMemorySource('files-id', 'files', { tools: [tool('read')] });
      const catalog = catalogOf(files);
      const release = files.hold();
      const first = catalog.list('tools');
      const second = catalog.list('tools');
      await waitFor(() => files.callsOf('tools') === 1);
      release();
      expect(names(await first)).toEqual(['read']);
      expect(names(await second)).toEqual(['read']);
      expect(files.callsOf('tools')).toBe(1);
    });

    it('forgets one server and kind on invalidate and tells the listeners', async () => {
      const alpha = new InMemorySource('alpha-id', 'alpha', { tools: [tool('a')], prompts: [{ name: 'p' }] });
      const beta = new InMemorySource('beta-id', 'beta', { tools: [tool('b')] });
      const catalog = catalogOf(alpha, beta);
      const changes: CatalogChange[] = [];
      catalog.onChanged((change) => changes.push(change));
      await catalog.list('tools');
      await catalog.list('prompts');
      alpha.set('tools', [tool('a'), tool('a2')]);
      catalog.invalidate('alpha-id', 'tools');
      expect(changes).toEqual([{ kind: 'tools', serverId: 'alpha-id', server: 'alpha' }]);
      expect(names(await catalog.list('tools'))).toEqual(['alpha_a', 'alpha_a2', 'beta_b']);
      await catalog.list('prompts');
      expect(alpha.callsOf('tools')).toBe(2);
      expect(alpha.callsOf('prompts')).toBe(1);
      expect(beta.callsOf('tools')).toBe(1);
    });

    it('forgets resources and resource templates together, as one list_changed covers both', async () => {
      const files = new InMemorySource('files-id', 'files');
      const catalog = catalogOf(files);
      const changes: CatalogChange[] = [];
      catalog.onChanged((change) => changes.push(change));
      await catalog.list('resources');
      await catalog.list('resourceTemplates');
      catalog.invalidate('files-id', 'resources');
      await catalog.list('resources');
      await catalog.list('resourceTemplates');
      expect(files.callsOf('resources')).toBe(2);
      expect(files.callsOf('resourceTemplates')).toBe(2);
      expect(changes.map((change) => change.kind)).toEqual(['resources']);
    });

    it('forgets every kind of a server when no kind is given', async () => {
      const files = new InMemorySource('files-id', 'files');
      const catalog = catalogOf(files);
      const changes: CatalogChange[] = [];
      catalog.onChanged((change) => changes.push(change));
      await catalog.list('tools');
      catalog.invalidate('files-id');
      await catalog.list('tools');
      expect(files.callsOf('tools')).toBe(2);
      expect(changes.map((change) => change.kind)).toEqual(['tools', 'resources', 'prompts']);
    });

    it('does not store a list that was in flight when the server invalidated it', async () => {
      const files = new InMemorySource('files-id', 'files', { tools: [tool('old')] });
      const catalog = catalogOf(files);
      const release = files.hold();
      const stale = catalog.list('tools');
      await waitFor(() => files.callsOf('tools') === 1);
      files.set('tools', [tool('new')]);
      catalog.invalidate('files-id', 'tools');
      release();
      expect(names(await stale)).toEqual(['old']);
      expect(names(await catalog.list('tools'))).toEqual(['new']);
      expect(files.callsOf('tools')).toBe(2);
    });

    it('ignores an invalidation for a server it does not know', () => {
      const catalog = catalogOf(new InMemorySource('files-id', 'files'));
      const changes: CatalogChange[] = [];
      catalog.onChanged((change) => changes.push(change));
      catalog.invalidate('unknown-id', 'tools');
      expect(changes).toEqual([]);
    });
  });

  describe('sources coming and going', () => {
    it('prefixes names once a second server arrives, and tells the listeners', async () => {
      const alpha = new InMemorySource('alpha-id', 'alpha', { tools: [tool('a')] });
      const catalog = catalogOf(alpha);
      const changes: CatalogChange[] = [];
      catalog.onChanged((change) => changes.push(change));
      expect(names(await catalog.list('tools'))).toEqual(['a']);
      catalog.addSource(new InMemorySource('beta-id', 'beta', { tools: [tool('b')] }));
      expect(names(await catalog.list('tools'))).toEqual(['alpha_a', 'beta_b']);
      expect(changes).toEqual(
        ['tools', 'resources', 'prompts'].map((kind) => ({ kind, serverId: 'beta-id', server: 'beta' })),
      );
      await expect(catalog.resolveTool('a')).rejects.toMatchObject({ code: -32602 });
    });

    it('drops a removed server from lists and routes', async () => {
      const alpha = new InMemorySource('alpha-id', 'alpha', { tools: [tool('a')] });
      const beta = new InMemorySource('beta-id', 'beta', { tools: [tool('b')] });
      const catalog = catalogOf(alpha, beta);
      await catalog.list('tools');
      const changes: CatalogChange[] = [];
      catalog.onChanged((change) => changes.push(change));
      catalog.removeSource('beta-id');
      expect(names(await catalog.list('tools'))).toEqual(['a']);
      await expect(catalog.resolveTool('beta_b')).rejects.toMatchObject({ code: -32602 });
      expect(changes.map((change) => change.serverId)).toEqual(['beta-id', 'beta-id', 'beta-id']);
    });

    it('replaces a source with the same server id and lists it afresh', async () => {
      const catalog = catalogOf(new InMemorySource('files-id', 'files', { tools: [tool('v1')] }));
      expect(names(await catalog.list('tools'))).toEqual(['v1']);
      catalog.addSource(new InMemorySource('files-id', 'files', { tools: [tool('v2')] }));
      expect(names(await catalog.list('tools'))).toEqual(['v2']);
    });
  });

  describe('onChanged', () => {
    it('stops calling a listener that unsubscribed and survives one that throws', () => {
      const catalog = catalogOf(new InMemorySource('files-id', 'files'));
      const seen: string[] = [];
      catalog.onChanged(() => {
        throw new Error('listener broke');
      });
      const stop = catalog.onChanged((change) => seen.push(change.kind));
      catalog.invalidate('files-id', 'tools');
      stop();
      catalog.invalidate('files-id', 'prompts');
      expect(seen).toEqual(['tools']);
      expect(logger.warnings.map((warning) => warning.message)).toContain('catalog change listener failed');
    });
  });
});
