import './instrumentation';
import {
  loadHttpListenConfig,
  loadPlatformConfig,
  PlatformModule,
  runServiceProcess,
} from '@gateway/platform';
import { loadRegistryConfig, RegistryModule, registryGrpcPackages } from '@gateway/registry';

runServiceProcess(() => {
  const registry = loadRegistryConfig();
  return {
    name: 'registry',
    modules: [
      PlatformModule.forRoot({ processName: 'registry', ...loadPlatformConfig(process.env, true) }),
      RegistryModule.forRoot(registry),
    ],
    http: loadHttpListenConfig('REGISTRY', 8082),
    grpc: { address: registry.grpcAddress, packages: registryGrpcPackages },
  };
});
