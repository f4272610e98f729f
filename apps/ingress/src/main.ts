import './instrumentation';
import { IngressModule, loadIngressConfig, mcpEndpointPaths } from '@gateway/ingress';
import { loadPlatformConfig, PlatformModule, runServiceProcess } from '@gateway/platform';
import { loadSecurityConfig, SecurityModule } from '@gateway/security';

runServiceProcess(() => {
  const platform = loadPlatformConfig();
  const ingress = loadIngressConfig();
  return {
    name: 'ingress',
    modules: [
      PlatformModule.forRoot({ processName: 'ingress', ...platform }),
      SecurityModule.forRoot(loadSecurityConfig(), { policyBundles: true }),
      IngressModule.forRoot(ingress),
    ],
    http: { host: ingress.host, port: ingress.port, rawBodyPaths: mcpEndpointPaths },
  };
});
