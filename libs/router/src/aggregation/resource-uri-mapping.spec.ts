import { UriTemplate } from '@modelcontextprotocol/sdk/shared/uriTemplate.js';
import { exposeResourceUri, upstreamResourceUri } from './resource-uri-mapping';

describe('resource URI mapping', () => {
  it('leaves URIs unchanged when a single server is exposed', () => {
    expect(exposeResourceUri('files', 'file:///etc/hosts', false)).toBe('file:///etc/hosts');
  });

  it('puts the server in front of the verbatim upstream URI when several are exposed', () => {
    expect(exposeResourceUri('files', 'file:///etc/hosts', true)).toBe('gateway://files/file:///etc/hosts');
  });

  it('maps an exposed URI back to its server and upstream URI', () => {
    const upstream = 'https://example.com/a?b=c#d';
    expect(upstreamResourceUri(exposeResourceUri('web', upstream, true))).toEqual({
      server: 'web',
      upstreamUri: upstream,
    });
  });

  it('keeps a URI template a template whose expansions map back', () => {
    const exposed = exposeResourceUri('files', 'file:///{path}', true);
    expect(exposed).toBe('gateway://files/file:///{path}');
    const expanded = new UriTemplate(exposed).expand({ path: 'notes.txt' });
    expect(upstreamResourceUri(expanded)).toEqual({ server: 'files', upstreamUri: 'file:///notes.txt' });
  });

  it('round-trips an upstream URI that is itself a gateway URI', () => {
    const exposed = exposeResourceUri('peer', 'gateway://files/file:///a', true);
    expect(upstreamResourceUri(exposed)).toEqual({
      server: 'peer',
      upstreamUri: 'gateway://files/file:///a',
    });
  });

  it('reads the scheme case-insensitively', () => {
    expect(upstreamResourceUri('GATEWAY://files/file:///a')).toEqual({
      server: 'files',
      upstreamUri: 'file:///a',
    });
  });

  it.each(['file:///a', 'gateway://files', 'gateway:///file:///a', 'gateway://files/', 'gatewayx://f/a'])(
    'answers undefined for %s, which is no exposed URI',
    (uri) => {
      expect(upstreamResourceUri(uri)).toBeUndefined();
    },
  );
});
