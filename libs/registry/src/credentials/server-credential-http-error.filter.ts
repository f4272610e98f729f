import {
  type ArgumentsHost,
  BadRequestException,
  Catch,
  type HttpException,
  NotFoundException,
  ServiceUnavailableException,
} from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { toHttpException } from '../registry-http-error.filter';
import {
  InvalidServerCredentialError,
  MasterKeyMissingError,
  ServerCredentialNotFoundError,
  ServerNotFoundError,
} from './server-credential.errors';

function toCredentialHttpException(error: unknown): HttpException | undefined {
  if (error instanceof InvalidServerCredentialError) return new BadRequestException(error.problems);
  if (error instanceof ServerNotFoundError || error instanceof ServerCredentialNotFoundError) {
    return new NotFoundException(error.message);
  }
  // The registry is not set up to keep secrets; nothing the caller can change in the request.
  if (error instanceof MasterKeyMissingError) return new ServiceUnavailableException(error.message);
  return toHttpException(error);
}

/** The credential API's errors as HTTP statuses; the registry's own (loading, database) as everywhere. */
@Catch()
export class ServerCredentialHttpErrorFilter extends BaseExceptionFilter {
  override catch(error: unknown, host: ArgumentsHost): void {
    super.catch(toCredentialHttpException(error) ?? error, host);
  }
}
