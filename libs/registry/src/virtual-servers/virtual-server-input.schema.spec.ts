import { InvalidVirtualServerError } from './virtual-server.errors';
import { parseVirtualServerBody } from './virtual-server-input.schema';

const catalog = new Set(['everything', 'remote']);
const inCatalog = (server: string): boolean => catalog.has(server);

function problemsOf(name: string, body: unknown): readonly string[] {
  try {
    parseVirtualServerBody(name, body, inCatalog);
  } catch (error) {
    if (error instanceof InvalidVirtualServerError) return error.problems;
    throw error;
  }
  throw new Error('expected an InvalidVirtualServerError');
}

describe('PUT /api/v1/virtual-servers/:name body', () => {
  it('takes the name from the path, and a body shaped like what GET returns', () => {
    expect(
      parseVirtualServerBody(
        'support',
        {
          name: 'support',
          servers: ['remote'],
          tools: [{ server: 'everything', name: 'echo', alias: 'say' }],
          revision: 2,
        },
        inCatalog,
      ),
    ).toEqual({
      name: 'support',
      servers: ['remote'],
      tools: [{ server: 'everything', name: 'echo', alias: 'say' }],
      revision: 2,
    });
    expect(parseVirtualServerBody('empty', {}, inCatalog)).toEqual({ name: 'empty' });
  });

  it('names the field of each problem', () => {
    expect(
      problemsOf('support', {
        description: 7,
        tools: [{ server: 'everything', name: 'echo', aliass: 'say' }],
        prompts: [{ server: 'everything' }],
        revision: -1,
      }),
    ).toEqual([
      'description: Invalid input: expected string, received number',
      'tools.0.aliass: unknown field',
      "prompts.0.name: expected the prompt's name on its server",
      'revision: expected the whole-number revision the change was made against',
    ]);
  });

  it('rejects a bad path name, a name differing from the path and a body that is not an object', () => {
    expect(problemsOf('has space', {})).toEqual([
      'name: expected 1-64 characters of letters, digits, "_" or "-"',
    ]);
    expect(problemsOf('support', { name: 'other' })).toEqual([
      'name: "other" differs from the path\'s "support"',
    ]);
    expect(problemsOf('support', ['tools'])).toEqual([
      '(body): Invalid input: expected object, received array',
    ]);
  });

  it('rejects references to servers the catalog does not have, and repeated aliases', () => {
    expect(
      problemsOf('support', {
        servers: ['github'],
        tools: [
          { server: 'everything', name: 'echo', alias: 'say' },
          { server: 'jira', name: 'search' },
        ],
        prompts: [
          { server: 'everything', name: 'a', alias: 'p' },
          { server: 'remote', name: 'b', alias: 'p' },
        ],
      }),
    ).toEqual(['prompts.1.alias: alias "p" is already given to prompts.0']);
    expect(
      problemsOf('support', {
        servers: ['github'],
        tools: [{ server: 'jira', name: 'search' }],
        resources: [{ server: 'remote', uri: 'x://1' }],
      }),
    ).toEqual([
      'servers.0: no server named "github" in the catalog',
      'tools.0.server: no server named "jira" in the catalog',
    ]);
  });
});
