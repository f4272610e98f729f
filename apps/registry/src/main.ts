import './instrumentation';
import {
  loadHttpListenConfig,
  loadPlatformConfig,
  PlatformModule,
  runServiceProcess,
} from '@gateway/platform';
import { loadRegistryConfig, RegistryModule, registryGrpcPackages } from '@gateway/registry';
import { loadSecurityConfig, SecurityModule } from '@gateway/security';

runServiceProcess(() => {
  const registry = loadRegistryConfig();
  return {
    name: 'registry',
    modules: [
      PlatformModule.forRoot({ processName: 'registry', ...loadPlatformConfig(process.env, true) }),
      SecurityModule.forRoot(loadSecurityConfig()),
      RegistryModule.forRoot(registry),
    ],
    http: loadHttpListenConfig('REGISTRY', 8082),
    grpc: { address: registry.grpcAddress, packages: registryGrpcPackages },
  };
});
