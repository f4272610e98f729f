import { Module } from '@nestjs/common';
import { GrpcPackages } from '@gateway/contracts';
import { DatabaseModule } from '@gateway/platform';
import { ApiKeyEntity } from './api-keys/api-key.entity';
import { ApiKeyRepository, AUTH_DATABASE } from './api-keys/api-key.repository';
import { AuthGrpcController } from './api-keys/auth.grpc-controller';
import { CreateApiKeys1763700000000 } from './migrations/1763700000000-create-api-keys.migration';

export const authGrpcPackages = [GrpcPackages.auth];

@Module({
  imports: [
    DatabaseModule.forService({
      token: AUTH_DATABASE,
      schema: 'auth',
      entities: [ApiKeyEntity],
      migrations: [CreateApiKeys1763700000000],
    }),
  ],
  controllers: [AuthGrpcController],
  providers: [ApiKeyRepository],
})
export class AuthModule {}
