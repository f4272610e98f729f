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
import { AuthEntityConflictError, AuthEntityNotFoundError, InvalidAuthRequestError } from '../auth.errors';
import { isUniqueViolation } from '../auth-storage.tokens';
import { SigningKeyUnavailableError } from '../signing-keys/signing-key.errors';

/** The auth admin API's errors as HTTP statuses, in one place; anything else is Nest's 500. */
export function toHttpException(error: unknown): HttpException | undefined {
  if (error instanceof InvalidAuthRequestError) return new BadRequestException(error.problems);
  if (error instanceof AuthEntityNotFoundError) return new NotFoundException(error.message);
  if (error instanceof AuthEntityConflictError) return new ConflictException(error.message);
  // Two admins creating the same name at once: the loser's insert hits the unique index.
  if (isUniqueViolation(error)) return new ConflictException('the name is taken');
  if (error instanceof DatabaseUnavailableError || error instanceof SigningKeyUnavailableError) {
    return new ServiceUnavailableException(error.message);
  }
  return undefined;
}

@Catch()
export class AuthHttpErrorFilter extends BaseExceptionFilter {
  override catch(error: unknown, host: ArgumentsHost): void {
    super.catch(toHttpException(error) ?? error, host);
  }
}
