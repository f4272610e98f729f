import './instrumentation';
import { IngressModule, loadIngressConfig, mcpEndpointPaths } from '@gateway/ingress';
import { loadPlatformConfig, PlatformModule, runServiceProcess } from '@gateway/platform';

runServiceProcess(() => {
  const platform = loadPlatformConfig();
  const ingress = loadIngressConfig();
  return {
    name: 'ingress',
    modules: [
      PlatformModule.forRoot({ processName: 'ingress', ...platform }),
      IngressModule.forRoot(ingress),
    ],
    http: { host: ingress.host, port: ingress.port, rawBodyPaths: mcpEndpointPaths },
  };
});
