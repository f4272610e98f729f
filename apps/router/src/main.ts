import './instrumentation';
import {
  loadHttpListenConfig,
  loadPlatformConfig,
  PlatformModule,
  runServiceProcess,
} from '@gateway/platform';
import { loadRouterConfig, RouterModule, routerGrpcPackages } from '@gateway/router';
import { loadSecurityConfig, SecurityModule } from '@gateway/security';

runServiceProcess(() => {
  const router = loadRouterConfig();
  return {
    name: 'router',
    modules: [
      PlatformModule.forRoot({ processName: 'router', ...loadPlatformConfig() }),
      SecurityModule.forRoot(loadSecurityConfig(), { policyBundles: true }),
      RouterModule.forRoot(router),
    ],
    http: loadHttpListenConfig('ROUTER', 8081),
    grpc: { address: router.grpcAddress, packages: routerGrpcPackages },
  };
});
