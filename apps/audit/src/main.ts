import './instrumentation';
import { AuditModule, loadAuditConfig } from '@gateway/audit';
import {
  loadHttpListenConfig,
  loadPlatformConfig,
  PlatformModule,
  runServiceProcess,
} from '@gateway/platform';
import { loadSecurityConfig, SecurityModule } from '@gateway/security';

runServiceProcess(() => ({
  name: 'audit',
  modules: [
    PlatformModule.forRoot({ processName: 'audit', ...loadPlatformConfig(process.env, true) }),
    SecurityModule.forRoot(loadSecurityConfig()),
    AuditModule.forRoot(loadAuditConfig()),
  ],
  http: loadHttpListenConfig('AUDIT', 8085),
}));
