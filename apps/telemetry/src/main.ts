import './instrumentation';
import {
  loadHttpListenConfig,
  loadPlatformConfig,
  PlatformModule,
  runServiceProcess,
} from '@gateway/platform';
import { TelemetryModule } from '@gateway/telemetry';
import { loadSecurityConfig, SecurityModule } from '@gateway/security';

runServiceProcess(() => ({
  name: 'telemetry',
  modules: [
    PlatformModule.forRoot({ processName: 'telemetry', ...loadPlatformConfig() }),
    SecurityModule.forRoot(loadSecurityConfig()),
    TelemetryModule,
  ],
  http: loadHttpListenConfig('TELEMETRY', 8086),
}));
