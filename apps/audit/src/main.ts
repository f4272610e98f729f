import './instrumentation';
import { AuditModule } from '@gateway/audit';
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
    AuditModule,
  ],
  http: loadHttpListenConfig('AUDIT', 8085),
}));
