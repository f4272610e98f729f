import './instrumentation';
import {
  loadHttpListenConfig,
  loadPlatformConfig,
  PlatformModule,
  runServiceProcess,
} from '@gateway/platform';
import { TelemetryModule } from '@gateway/telemetry';

runServiceProcess(() => ({
  name: 'telemetry',
  modules: [PlatformModule.forRoot({ processName: 'telemetry', ...loadPlatformConfig() }), TelemetryModule],
  http: loadHttpListenConfig('TELEMETRY', 8086),
}));
