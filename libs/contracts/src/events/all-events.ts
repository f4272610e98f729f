import { AdminChange } from './admin-change.event';
import { CallEvent } from './call-event.event';
import { CatalogRecord } from './catalog-record.event';
import { InstanceHeartbeat } from './instance-heartbeat.event';
import { PolicyBundleRecord } from './policy-bundle.event';
import { RevocationRecord } from './revocation.event';
import { SecurityEvent } from './security-event.event';
import { SigningKeyRecord } from './signing-key.event';
import { ToolPinRecord } from './tool-pin.event';
import { VirtualServerRecord } from './virtual-server.event';

/** Every event contract, one per topic. */
export const allEvents = [
  CallEvent,
  SecurityEvent,
  CatalogRecord,
  VirtualServerRecord,
  PolicyBundleRecord,
  RevocationRecord,
  AdminChange,
  InstanceHeartbeat,
  SigningKeyRecord,
  ToolPinRecord,
];
