import { type DynamicModule, Module } from '@nestjs/common';
import { GrpcPackages } from '@gateway/contracts';
import { DatabaseModule } from '@gateway/platform';
import { PolicyBootstrapService } from './bootstrap/policy-bootstrap.service';
import { PolicyBundlesService } from './bundles/policy-bundles.service';
import { PolicyChangesService } from './bundles/policy-changes.service';
import { PolicyGrpcController } from './bundles/policy.grpc-controller';
import { CreateBundles1763700000000 } from './migrations/1763700000000-create-bundles.migration';
import { CreatePolicies1764800000000 } from './migrations/1764800000000-create-policies.migration';
import { PoliciesController } from './policies/policies.controller';
import { TenantPoliciesService } from './policies/tenant-policies.service';
import { TenantSettingsController } from './policies/tenant-settings.controller';
import { TenantSettingsService } from './policies/tenant-settings.service';
import { POLICY_CONFIG, type PolicyConfig } from './policy-config';
import { PolicyBundleEntity } from './store/policy-bundle.entity';
import { PolicyEntity } from './store/policy.entity';
import { TenantSettingsEntity } from './store/tenant-settings.entity';
import { POLICY_DATABASE, TenantPolicyRepository } from './store/tenant-policy.repository';

export const policyGrpcPackages = [GrpcPackages.policy];

export interface PolicyModuleOptions {
  /** Postgres schema of the policy tables; tests give each run its own. */
  readonly schema?: string;
}

/**
 * The policy service: Cedar policies, rate limits and guardrails per tenant in Postgres, the
 * admin REST API over them, a bundle per tenant published on the compacted bundles topic, and
 * the gRPC Decide for callers without a bundle.
 */
@Module({})
export class PolicyModule {
  static forRoot(config: PolicyConfig, options: PolicyModuleOptions = {}): DynamicModule {
    return {
      module: PolicyModule,
      imports: [
        DatabaseModule.forService({
          token: POLICY_DATABASE,
          schema: options.schema ?? 'policy',
          entities: [PolicyBundleEntity, PolicyEntity, TenantSettingsEntity],
          migrations: [CreateBundles1763700000000, CreatePolicies1764800000000],
        }),
      ],
      controllers: [PolicyGrpcController, PoliciesController, TenantSettingsController],
      providers: [
        { provide: POLICY_CONFIG, useValue: config },
        TenantPolicyRepository,
        PolicyBundlesService,
        PolicyChangesService,
        TenantPoliciesService,
        TenantSettingsService,
        PolicyBootstrapService,
      ],
    };
  }
}
