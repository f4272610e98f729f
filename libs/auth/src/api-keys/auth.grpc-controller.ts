import { Controller } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { AuthApi } from '@gateway/contracts';
import { DatabaseUnavailableError } from '@gateway/platform';
import { hashApiKey, verdictFor } from './api-key-verifier';
import { ApiKeyRepository } from './api-key.repository';

@Controller()
@AuthApi.AuthServiceControllerMethods()
export class AuthGrpcController implements AuthApi.AuthServiceController {
  constructor(private readonly keys: ApiKeyRepository) {}

  async verifyApiKey(request: AuthApi.VerifyApiKeyRequest): Promise<AuthApi.VerifyApiKeyResponse> {
    try {
      return verdictFor(await this.keys.findByHash(hashApiKey(request.apiKey)), new Date());
    } catch (error) {
      if (error instanceof DatabaseUnavailableError) {
        throw new RpcException({ code: GrpcStatus.UNAVAILABLE, message: error.message });
      }
      throw error;
    }
  }
}
