import './instrumentation';
import { AuditModule, loadAuditConfig } from '@gateway/audit';
import {
  loadHttpListenConfig,
  loadPlatformConfig,
  PlatformModule,
  runServiceProcess,
} from '@gateway/platform';

runServiceProcess(() => ({
  name: 'audit',
  modules: [
    PlatformModule.forRoot({ processName: 'audit', ...loadPlatformConfig(process.env, true) }),
    AuditModule.forRoot(loadAuditConfig()),
  ],
  http: loadHttpListenConfig('AUDIT', 8085),
}));
