import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { AggregatedCatalog } from './aggregated-catalog';
import { viewShows, type CatalogView } from './catalog-view';
import { InMemorySource, RecordingLogger } from './in-memory-source.fixture';

function tool(name: string, description?: string): Tool {
  return { name, inputSchema: { type: 'object' }, ...(description ? { description } : {}) };
}

function sources() {
  const github = new InMemorySource('github-id', 'github', {
    tools: [
      { ...tool('search_issues', 'Search issues'), annotations: { readOnlyHint: true } },
      tool('create_issue', 'Create an issue'),
      tool('delete_repo', 'Delete a repository'),
    ],
    prompts: [{ name: 'triage', description: 'Triage an issue' }, { name: 'release' }],
    resources: [
      { uri: 'repo://a/readme', name: 'readme' },
      { uri: 'repo://a/license', name: 'license' },
    ],
    resourceTemplates: [
      { uriTemplate: 'repo://{owner}/{repo}/issues', name: 'issues' },
      { uriTemplate: 'repo://{owner}/{repo}/secrets', name: 'secrets' },
    ],
  });
  const files = new InMemorySource('files-id', 'files', {
    tools: [tool('read_file'), tool('write_file')],
    resources: [{ uri: 'file:///a.txt', name: 'a' }],
  });
  const jira = new InMemorySource('jira-id', 'jira', { tools: [tool('search_issues')] });
  return { github, files, jira };
}

function catalogOf(...all: InMemorySource[]): AggregatedCatalog {
  return new AggregatedCatalog(all, {
    defaultDeadlineMs: 1000,
    logger: new RecordingLogger(),
    missRefreshMinAgeMs: 0,
  });
}

describe('AggregatedCatalog views', () => {
  const triageView: CatalogView = {
    name: 'triage',
    tools: [
      { server: 'github', name: 'search_issues', alias: 'find_issues', description: 'Find GitHub issues' },
      { server: 'github', name: 'create_issue' },
    ],
    prompts: [{ server: 'github', name: 'triage', alias: 'triage_issue' }],
  };

  it('lists only the selected tools, with alias and description applied and metadata kept', async () => {
    const { github, files, jira } = sources();
    const tools = await catalogOf(github, files, jira).list('tools', triageView);
    expect(tools).toEqual([
      {
        name: 'find_issues',
        description: 'Find GitHub issues',
        inputSchema: { type: 'object' },
        annotations: { readOnlyHint: true },
      },
      // One server in the view: no prefix, although the catalog holds three.
      { name: 'create_issue', description: 'Create an issue', inputSchema: { type: 'object' } },
    ]);
  });

  it('asks only the servers the view names', async () => {
    const { github, files, jira } = sources();
    await catalogOf(github, files, jira).list('tools', triageView);
    expect(github.callsOf('tools')).toBe(1);
    expect(files.calls).toEqual([]);
    expect(jira.calls).toEqual([]);
  });

  it('routes an alias to the upstream name and refuses tools outside the view', async () => {
    const { github, files, jira } = sources();
    const catalog = catalogOf(github, files, jira);
    await expect(catalog.resolveTool('find_issues', triageView)).resolves.toMatchObject({
      serverId: 'github-id',
      upstreamName: 'search_issues',
    });
    for (const name of ['delete_repo', 'search_issues', 'github_delete_repo', 'read_file']) {
      await expect(catalog.resolveTool(name, triageView)).rejects.toMatchObject({
        code: -32602,
        message: `Unknown tool: ${name}`,
      });
    }
    // The same catalog without a view still shows everything.
    await expect(catalog.resolveTool('github_delete_repo')).resolves.toMatchObject({
      upstreamName: 'delete_repo',
    });
  });

  it('exposes selected prompts under their aliases', async () => {
    const { github, files } = sources();
    const catalog = catalogOf(github, files);
    expect(await catalog.list('prompts', triageView)).toEqual([
      { name: 'triage_issue', description: 'Triage an issue' },
    ]);
    await expect(catalog.resolvePrompt('triage_issue', triageView)).resolves.toMatchObject({
      upstreamName: 'triage',
    });
    await expect(catalog.resolvePrompt('release', triageView)).rejects.toMatchObject({ code: -32602 });
  });

  it('leaves out a selected item the server does not have, and cannot resolve it', async () => {
    const { github } = sources();
    const view: CatalogView = {
      name: 'v',
      tools: [{ server: 'github', name: 'no_such_tool', alias: 'ghost' }],
    };
    const catalog = catalogOf(github);
    expect(await catalog.list('tools', view)).toEqual([]);
    await expect(catalog.resolveTool('ghost', view)).rejects.toMatchObject({
      message: 'Unknown tool: ghost',
    });
  });

  it('prefixes by the servers the view exposes', async () => {
    const { github, files, jira } = sources();
    const view: CatalogView = {
      name: 'search',
      tools: [
        { server: 'github', name: 'search_issues' },
        { server: 'jira', name: 'search_issues' },
      ],
    };
    const catalog = catalogOf(github, files, jira);
    expect((await catalog.list('tools', view)).map((listed) => listed.name)).toEqual([
      'github_search_issues',
      'jira_search_issues',
    ]);
    await expect(catalog.resolveTool('jira_search_issues', view)).resolves.toMatchObject({
      serverId: 'jira-id',
    });
  });

  it('shows whole servers, with a selection overriding one of their items', async () => {
    const { github, files, jira } = sources();
    const view: CatalogView = {
      name: 'files-plus',
      servers: ['files'],
      tools: [{ server: 'files', name: 'write_file', description: 'Writes, carefully' }],
    };
    const tools = await catalogOf(github, files, jira).list('tools', view);
    expect(tools).toEqual([
      { name: 'read_file', inputSchema: { type: 'object' } },
      { name: 'write_file', description: 'Writes, carefully', inputSchema: { type: 'object' } },
    ]);
  });

  it('lists only the selected resources and templates, and reads only what they cover', async () => {
    const { github, files } = sources();
    const view: CatalogView = {
      name: 'docs',
      resources: [
        { server: 'github', uri: 'repo://a/readme' },
        { server: 'github', uri: 'repo://{owner}/{repo}/issues' },
        { server: 'files', uri: 'file:///a.txt' },
      ],
    };
    const catalog = catalogOf(github, files);
    expect((await catalog.list('resources', view)).map((resource) => resource.uri)).toEqual([
      'gateway://github/repo://a/readme',
      'gateway://files/file:///a.txt',
    ]);
    expect((await catalog.list('resourceTemplates', view)).map((template) => template.uriTemplate)).toEqual([
      'gateway://github/repo://{owner}/{repo}/issues',
    ]);
    await expect(catalog.resolveResource('gateway://github/repo://a/readme', view)).resolves.toMatchObject({
      upstreamUri: 'repo://a/readme',
    });
    await expect(
      catalog.resolveResource('gateway://github/repo://acme/web/issues', view),
    ).resolves.toMatchObject({
      serverId: 'github-id',
      upstreamUri: 'repo://acme/web/issues',
    });
    for (const uri of ['gateway://github/repo://a/license', 'gateway://github/repo://acme/web/secrets']) {
      await expect(catalog.resolveResource(uri, view)).rejects.toMatchObject({ code: -32002 });
    }
  });

  it('leaves URIs unchanged in a view of one server, and sends every URI to that server only', async () => {
    const { github, files } = sources();
    const view: CatalogView = { name: 'gh', servers: ['github'] };
    const catalog = catalogOf(github, files);
    expect((await catalog.list('resources', view)).map((resource) => resource.uri)).toEqual([
      'repo://a/readme',
      'repo://a/license',
    ]);
    await expect(catalog.resolveResource('repo://a/license', view)).resolves.toMatchObject({
      serverId: 'github-id',
      uris: { prefixed: false },
    });
    // With one server exposed a gateway URI is just a URI of that server (it may be a peer gateway).
    await expect(catalog.resolveResource('gateway://files/file:///a.txt', view)).resolves.toMatchObject({
      serverId: 'github-id',
      upstreamUri: 'gateway://files/file:///a.txt',
    });
  });

  it('keeps the names of a view while one of its servers is not connected', async () => {
    const { github } = sources();
    const view: CatalogView = { name: 'both', servers: ['github', 'gitlab'] };
    const names = (await catalogOf(github).list('tools', view)).map((listed) => listed.name);
    expect(names).toEqual(['github_search_issues', 'github_create_issue', 'github_delete_repo']);
  });
});

describe('viewShows', () => {
  const view: CatalogView = {
    name: 'v',
    servers: ['files'],
    tools: [{ server: 'github', name: 'search_issues' }],
    resources: [{ server: 'wiki', uri: 'wiki://home' }],
  };

  it('tells which changes an agent behind a view needs to hear of', () => {
    expect(viewShows(undefined, 'anything', 'tools')).toBe(true);
    expect(viewShows(view, 'files', 'prompts')).toBe(true);
    expect(viewShows(view, 'github', 'tools')).toBe(true);
    expect(viewShows(view, 'github', 'prompts')).toBe(false);
    expect(viewShows(view, 'wiki', 'resources')).toBe(true);
    expect(viewShows(view, 'wiki', 'resourceTemplates')).toBe(true);
    expect(viewShows(view, 'wiki', 'tools')).toBe(false);
    expect(viewShows(view, 'jira', 'tools')).toBe(false);
  });
});
