import { type DynamicModule, Module } from '@nestjs/common';
import { GrpcPackages } from '@gateway/contracts';
import { DatabaseModule } from '@gateway/platform';
import { PolicyBundleEntity } from './bundles/policy-bundle.entity';
import { POLICY_DATABASE, PolicyBundleRepository } from './bundles/policy-bundle.repository';
import { PolicyBundlesService } from './bundles/policy-bundles.service';
import { PolicyGrpcController } from './bundles/policy.grpc-controller';
import { CreateBundles1763700000000 } from './migrations/1763700000000-create-bundles.migration';
import { POLICY_CONFIG, type PolicyConfig } from './policy-config';

export const policyGrpcPackages = [GrpcPackages.policy];

@Module({})
export class PolicyModule {
  static forRoot(config: PolicyConfig): DynamicModule {
    return {
      module: PolicyModule,
      imports: [
        DatabaseModule.forService({
          token: POLICY_DATABASE,
          schema: 'policy',
          entities: [PolicyBundleEntity],
          migrations: [CreateBundles1763700000000],
        }),
      ],
      controllers: [PolicyGrpcController],
      providers: [{ provide: POLICY_CONFIG, useValue: config }, PolicyBundleRepository, PolicyBundlesService],
    };
  }
}
