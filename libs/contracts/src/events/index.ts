export * from './topics';
export * from './event-definition';
export * from './call-event.event';
export * from './security-event.event';
export * from './catalog-record.event';
export * from './policy-bundle.event';
export * from './revocation.event';
export * from './admin-change.event';
export { allEvents } from './all-events';
