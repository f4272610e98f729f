import './instrumentation';
import {
  loadGrpcAddress,
  loadHttpListenConfig,
  loadPlatformConfig,
  PlatformModule,
  runServiceProcess,
} from '@gateway/platform';
import { loadPolicyConfig, PolicyModule, policyGrpcPackages } from '@gateway/policy';
import { loadSecurityConfig, SecurityModule } from '@gateway/security';

runServiceProcess(() => ({
  name: 'policy',
  modules: [
    PlatformModule.forRoot({ processName: 'policy', ...loadPlatformConfig(process.env, true) }),
    SecurityModule.forRoot(loadSecurityConfig()),
    PolicyModule.forRoot(loadPolicyConfig()),
  ],
  http: loadHttpListenConfig('POLICY', 8084),
  grpc: { address: loadGrpcAddress('POLICY_GRPC_ADDRESS', '127.0.0.1:50054'), packages: policyGrpcPackages },
}));
