import './instrumentation';
import { AuthModule, authGrpcPackages, loadAuthConfig, loadAuthMasterKeyCipher } from '@gateway/auth';
import {
  loadHttpListenConfig,
  loadPlatformConfig,
  PlatformModule,
  runServiceProcess,
} from '@gateway/platform';
import { loadSecurityConfig, SecurityModule } from '@gateway/security';

runServiceProcess(() => {
  const config = loadAuthConfig(process.env);
  return {
    name: 'auth',
    modules: [
      PlatformModule.forRoot({ processName: 'auth', ...loadPlatformConfig(process.env, true) }),
      SecurityModule.forRoot(loadSecurityConfig()),
      AuthModule.forRoot(config, loadAuthMasterKeyCipher(process.env)),
    ],
    http: loadHttpListenConfig('AUTH', 8083),
    grpc: { address: config.grpcAddress, packages: authGrpcPackages },
  };
});
