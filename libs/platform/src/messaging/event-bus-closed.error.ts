/** The bus was closed: subscribing, or waiting for topics that were never created, cannot succeed. */
export class EventBusClosedError extends Error {
  override readonly name = 'EventBusClosedError';
}
