import {
  type DynamicModule,
  type MiddlewareConsumer,
  Module,
  type NestModule,
  RequestMethod,
} from '@nestjs/common';
import { GrpcPackages } from '@gateway/contracts';
import { DatabaseModule } from '@gateway/platform';
import { type EnvelopeCipher, MASTER_KEY_CIPHER } from '@gateway/security';
import { ApiKeyEntity } from './api-keys/api-key.entity';
import { ApiKeyRepository } from './api-keys/api-key.repository';
import { ApiKeysController } from './api-keys/api-keys.controller';
import { ApiKeysService } from './api-keys/api-keys.service';
import { AuthGrpcController } from './api-keys/auth.grpc-controller';
import { BootstrapAdminRepository } from './api-keys/bootstrap-admin.repository';
import { BootstrapAdminService } from './api-keys/bootstrap-admin.service';
import { AUTH_CONFIG, type AuthConfig } from './auth-config';
import { AUTH_DATABASE, AUTH_SCHEMA } from './auth-storage.tokens';
import { ClientAuthenticator } from './clients/client-authenticator.service';
import { ClientSecretEntity } from './clients/client-secret.entity';
import { ClientSecretRepository } from './clients/client-secret.repository';
import { ClientSecretsController } from './clients/client-secrets.controller';
import { ClientSecretsService } from './clients/client-secrets.service';
import { AgentEntity, RoleEntity, TeamEntity, UserEntity } from './identities/directory-entry.entity';
import { DirectoryRepository } from './identities/directory.repository';
import {
  AgentsController,
  RolesController,
  TeamsController,
  UsersController,
} from './identities/directory-entries.controller';
import { DirectoryService } from './identities/directory.service';
import { RoleAssignmentEntity, TeamMemberEntity } from './identities/membership.entity';
import { TenantEntity } from './identities/tenant.entity';
import { TenantsController } from './identities/tenants.controller';
import { MetadataController } from './metadata/metadata.controller';
import { CreateApiKeys1763700000000 } from './migrations/1763700000000-create-api-keys.migration';
import { CreateIdentities1764500000000 } from './migrations/1764500000000-create-identities.migration';
import { CreateSigningKeys1764500000001 } from './migrations/1764500000001-create-signing-keys.migration';
import { SigningKeyEntity } from './signing-keys/signing-key.entity';
import { SigningKeyRepository } from './signing-keys/signing-key.repository';
import { SigningKeysController } from './signing-keys/signing-keys.controller';
import { SigningKeysService } from './signing-keys/signing-keys.service';
import { FormBodyMiddleware } from './tokens/form-body.middleware';
import { OAuthController } from './tokens/oauth.controller';
import { RevokedTokenEntity } from './tokens/revoked-token.entity';
import { RevokedTokenRepository } from './tokens/revoked-token.repository';
import { TokenGrantsService } from './tokens/token-grants.service';
import { TokenIssuer } from './tokens/token-issuer.service';
import { TokenRevocationService } from './tokens/token-revocation.service';
import { TokenRevocationsController } from './tokens/token-revocations.controller';

export const authGrpcPackages = [GrpcPackages.auth];

export interface AuthModuleOptions {
  /** Postgres schema of the auth tables; tests give each run its own. */
  readonly schema?: string;
}

/**
 * The auth service: identities, API keys, the OAuth token issuer with its rotating signing keys,
 * JWKS and metadata, and revocations; VerifyApiKey over gRPC.
 */
@Module({})
export class AuthModule implements NestModule {
  static forRoot(config: AuthConfig, cipher: EnvelopeCipher, options: AuthModuleOptions = {}): DynamicModule {
    const schema = options.schema ?? 'auth';
    return {
      module: AuthModule,
      imports: [
        DatabaseModule.forService({
          token: AUTH_DATABASE,
          schema,
          entities: [
            ApiKeyEntity,
            TenantEntity,
            UserEntity,
            AgentEntity,
            TeamEntity,
            RoleEntity,
            TeamMemberEntity,
            RoleAssignmentEntity,
            ClientSecretEntity,
            SigningKeyEntity,
            RevokedTokenEntity,
          ],
          migrations: [
            CreateApiKeys1763700000000,
            CreateIdentities1764500000000,
            CreateSigningKeys1764500000001,
          ],
        }),
      ],
      controllers: [
        AuthGrpcController,
        TenantsController,
        UsersController,
        AgentsController,
        TeamsController,
        RolesController,
        ApiKeysController,
        ClientSecretsController,
        OAuthController,
        TokenRevocationsController,
        SigningKeysController,
        MetadataController,
      ],
      providers: [
        { provide: AUTH_CONFIG, useValue: config },
        { provide: AUTH_SCHEMA, useValue: schema },
        { provide: MASTER_KEY_CIPHER, useValue: cipher },
        DirectoryRepository,
        DirectoryService,
        ApiKeyRepository,
        ApiKeysService,
        BootstrapAdminRepository,
        BootstrapAdminService,
        ClientSecretRepository,
        ClientSecretsService,
        ClientAuthenticator,
        SigningKeyRepository,
        SigningKeysService,
        RevokedTokenRepository,
        TokenRevocationService,
        TokenIssuer,
        TokenGrantsService,
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(FormBodyMiddleware)
      .forRoutes(
        { path: 'oauth/token', method: RequestMethod.POST },
        { path: 'oauth/revoke', method: RequestMethod.POST },
      );
  }
}
