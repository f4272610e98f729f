import { Controller } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { PolicyApi, type PolicyBundleValue } from '@gateway/contracts';
import { PolicyBundlesService } from './policy-bundles.service';

@Controller()
@PolicyApi.PolicyServiceControllerMethods()
export class PolicyGrpcController implements PolicyApi.PolicyServiceController {
  constructor(private readonly bundles: PolicyBundlesService) {}

  decide(request: PolicyApi.DecideRequest): PolicyApi.DecideResponse {
    const bundle = this.requireBundle(request.tenant);
    // A bundle without policies decides by its default; the policy language evaluates `source`.
    return {
      decision: bundle.defaultDecision,
      policyIds: [],
      reason: `no policy matched; tenant "${bundle.tenant}" bundle revision ${bundle.revision} default applies`,
    };
  }

  getBundle(request: PolicyApi.GetBundleRequest): PolicyApi.GetBundleResponse {
    const bundle = this.requireBundle(request.tenant);
    return { bundle: { ...bundle } };
  }

  private requireBundle(tenant: string): PolicyBundleValue {
    if (!this.bundles.isLoaded()) {
      throw new RpcException({ code: GrpcStatus.UNAVAILABLE, message: 'policy bundles are not loaded yet' });
    }
    const bundle = this.bundles.bundleOf(tenant);
    if (!bundle)
      throw new RpcException({
        code: GrpcStatus.NOT_FOUND,
        message: `no policy bundle for tenant "${tenant}"`,
      });
    return bundle;
  }
}
