import './instrumentation';
import { AuthModule, authGrpcPackages } from '@gateway/auth';
import {
  loadGrpcAddress,
  loadHttpListenConfig,
  loadPlatformConfig,
  PlatformModule,
  runServiceProcess,
} from '@gateway/platform';

runServiceProcess(() => ({
  name: 'auth',
  modules: [
    PlatformModule.forRoot({ processName: 'auth', ...loadPlatformConfig(process.env, true) }),
    AuthModule,
  ],
  http: loadHttpListenConfig('AUTH', 8083),
  grpc: { address: loadGrpcAddress('AUTH_GRPC_ADDRESS', '127.0.0.1:50053'), packages: authGrpcPackages },
}));
