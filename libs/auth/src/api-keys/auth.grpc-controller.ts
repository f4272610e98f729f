import { Controller } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { AuthApi } from '@gateway/contracts';
import { createLogger, DatabaseUnavailableError } from '@gateway/platform';
import { DirectoryRepository } from '../identities/directory.repository';
import { hashApiKey, rejectionOf, verdictFor } from './api-key-verifier';
import { ApiKeyRepository } from './api-key.repository';

const noAccess = { roles: [], teams: [] };

@Controller()
@AuthApi.AuthServiceControllerMethods()
export class AuthGrpcController implements AuthApi.AuthServiceController {
  private readonly logger = createLogger('auth-grpc');

  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly directory: DirectoryRepository,
  ) {}

  async verifyApiKey(request: AuthApi.VerifyApiKeyRequest): Promise<AuthApi.VerifyApiKeyResponse> {
    try {
      const now = new Date();
      const stored = await this.keys.findByHash(hashApiKey(request.apiKey));
      if (rejectionOf(stored, now) || !stored) return verdictFor(stored, noAccess, now);
      const access = await this.directory.access(stored.tenant, stored.principalId);
      // Usage is a hint for operators: the verdict never waits on or fails for its write.
      this.keys.touch(stored.id, now).catch((error: unknown) => {
        this.logger.warn({ err: error, keyId: stored.id }, 'could not record the use of an API key');
      });
      return verdictFor(stored, access, now);
    } catch (error) {
      if (error instanceof DatabaseUnavailableError) {
        throw new RpcException({ code: GrpcStatus.UNAVAILABLE, message: error.message });
      }
      throw error;
    }
  }
}
