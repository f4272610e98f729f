import { Controller } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { PolicyApi } from '@gateway/contracts';
import type { DecisionContext, DecisionInput, Principal } from '@gateway/security';
import { z } from 'zod';
import { PolicyBundlesService } from './policy-bundles.service';

const resourceKinds = ['tool', 'resource', 'prompt', 'server'] as const;
const principalKinds = ['user', 'agent', 'service-account'] as const;

const contextSchema = z.object({
  arguments: z.unknown().optional(),
  clientAddress: z.string().optional(),
  sessionId: z.string().optional(),
  view: z.string().optional(),
});

function invalidArgument(message: string): RpcException {
  return new RpcException({ code: GrpcStatus.INVALID_ARGUMENT, message });
}

function decisionContext(json: string): DecisionContext {
  if (!json) return {};
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw invalidArgument('context_json: not JSON');
  }
  const parsed = contextSchema.safeParse(value);
  if (!parsed.success) throw invalidArgument(`context_json: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** The request as the engine takes it; the principal carries what the credential said. */
export function decisionInput(request: PolicyApi.DecideRequest): DecisionInput {
  const kind = (request.principalKind || 'agent') as Principal['kind'];
  if (!principalKinds.includes(kind))
    throw invalidArgument(`principal_kind: expected one of ${principalKinds.join(', ')}`);
  const resourceKind = request.resourceKind as DecisionInput['resource']['kind'];
  if (!resourceKinds.includes(resourceKind))
    throw invalidArgument(`resource_kind: expected one of ${resourceKinds.join(', ')}`);
  if (!request.principal || !request.action || !request.server) {
    throw invalidArgument('principal, action and server are required');
  }
  return {
    principal: {
      id: request.principal,
      tenant: request.tenant,
      kind,
      roles: request.roles,
      teams: request.teams,
      scopes: request.scopes,
      credentialId: '',
      credential: 'api-key',
    },
    action: request.action,
    resource: { kind: resourceKind, server: request.server, name: request.resourceName || request.server },
    context: decisionContext(request.contextJson),
  };
}

@Controller()
@PolicyApi.PolicyServiceControllerMethods()
export class PolicyGrpcController implements PolicyApi.PolicyServiceController {
  constructor(private readonly bundles: PolicyBundlesService) {}

  decide(request: PolicyApi.DecideRequest): PolicyApi.DecideResponse {
    this.requireLoaded();
    const decision = this.bundles.decide(request.tenant, decisionInput(request));
    return {
      decision: decision.decision,
      policyIds: [...decision.policyIds],
      reason: decision.reason,
      errors: [...decision.errors],
      bundleRevision: decision.revision ?? 0,
    };
  }

  getBundle(request: PolicyApi.GetBundleRequest): PolicyApi.GetBundleResponse {
    this.requireLoaded();
    const bundle = this.bundles.bundleOf(request.tenant);
    if (!bundle) {
      throw new RpcException({
        code: GrpcStatus.NOT_FOUND,
        message: `no policy bundle for tenant "${request.tenant}"`,
      });
    }
    return {
      bundle: {
        tenant: bundle.tenant,
        revision: bundle.revision,
        source: bundle.source,
        defaultDecision: bundle.defaultDecision,
        schema: bundle.schema ?? '',
        rateLimitsJson: bundle.rateLimits ? JSON.stringify(bundle.rateLimits) : '',
        guardrailsJson: bundle.guardrails ? JSON.stringify(bundle.guardrails) : '',
        publishedAt: bundle.publishedAt,
      },
    };
  }

  private requireLoaded(): void {
    if (!this.bundles.isLoaded()) {
      throw new RpcException({ code: GrpcStatus.UNAVAILABLE, message: 'policy bundles are not loaded yet' });
    }
  }
}
