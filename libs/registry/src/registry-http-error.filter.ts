import {
  type ArgumentsHost,
  BadRequestException,
  Catch,
  ConflictException,
  HttpException,
  NotFoundException,
  ServiceUnavailableException,
} from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { DatabaseUnavailableError } from '@gateway/platform';
import { CatalogNotLoadedError } from './catalog/catalog.service';
import {
  InvalidVirtualServerError,
  VirtualServerNotFoundError,
  VirtualServerRevisionConflictError,
  VirtualServersNotLoadedError,
} from './virtual-servers/virtual-server.errors';

/** The registry admin API's errors as HTTP statuses, in one place; anything else is Nest's 500. */
export function toHttpException(error: unknown): HttpException | undefined {
  if (error instanceof InvalidVirtualServerError) return new BadRequestException(error.problems);
  if (error instanceof VirtualServerNotFoundError) return new NotFoundException(error.message);
  if (error instanceof VirtualServerRevisionConflictError) return new ConflictException(error.message);
  if (
    error instanceof CatalogNotLoadedError ||
    error instanceof VirtualServersNotLoadedError ||
    error instanceof DatabaseUnavailableError
  ) {
    return new ServiceUnavailableException(error.message);
  }
  return undefined;
}

@Catch()
export class RegistryHttpErrorFilter extends BaseExceptionFilter {
  override catch(error: unknown, host: ArgumentsHost): void {
    super.catch(toHttpException(error) ?? error, host);
  }
}
