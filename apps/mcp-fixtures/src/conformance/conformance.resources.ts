import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/server';
import { redPixelPngBase64 } from './sample-media';

/**
 * The resources of the resources-* scenarios. The first listed resource is also what the caching
 * scenario reads. Reading an unknown URI is left to the SDK, which answers -32602 with the URI in
 * the error data (SEP-2164).
 */
export function registerConformanceResources(server: McpServer): void {
  server.registerResource(
    'static-text',
    'test://static-text',
    { description: 'A static text resource', mimeType: 'text/plain' },
    (uri) => ({
      contents: [
        { uri: uri.href, mimeType: 'text/plain', text: 'This is the content of the static text resource.' },
      ],
    }),
  );

  server.registerResource(
    'static-binary',
    'test://static-binary',
    { description: 'A static binary resource (a 1x1 PNG)', mimeType: 'image/png' },
    (uri) => ({ contents: [{ uri: uri.href, mimeType: 'image/png', blob: redPixelPngBase64 }] }),
  );

  server.registerResource(
    'watched-resource',
    'test://watched-resource',
    { description: 'A resource clients may subscribe to', mimeType: 'text/plain' },
    (uri) => ({ contents: [{ uri: uri.href, mimeType: 'text/plain', text: 'Watched resource content.' }] }),
  );

  server.registerResource(
    'template-data',
    new ResourceTemplate('test://template/{id}/data', { list: undefined }),
    { description: 'Data for any id, substituted into the content', mimeType: 'application/json' },
    (uri, { id }) => ({
      contents: [
        {
          uri: uri.href,
          mimeType: 'application/json',
          text: JSON.stringify({ id, templateTest: true, data: `Data for ID: ${String(id)}` }),
        },
      ],
    }),
  );
}

/**
 * resources/subscribe and resources/unsubscribe exist on the 2025 wire only (2026-07-28 replaced
 * them by subscriptions/listen, which the serving entry answers itself). The instance of a 2025
 * session lives as long as the session, so it keeps that session's subscriptions.
 */
export function registerResourceSubscriptions(server: McpServer): void {
  const subscribed = new Set<string>();
  server.server.setRequestHandler('resources/subscribe', (request) => {
    subscribed.add(request.params.uri);
    return {};
  });
  server.server.setRequestHandler('resources/unsubscribe', (request) => {
    subscribed.delete(request.params.uri);
    return {};
  });
}
