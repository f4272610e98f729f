import {
  type ArgumentsHost,
  BadRequestException,
  Catch,
  HttpException,
  NotFoundException,
  ServiceUnavailableException,
} from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { DatabaseUnavailableError } from '@gateway/platform';
import { isConnectionFailure } from '../storage/sql-error';
import { UnknownChainError } from '../verify/audit-verify.service';
import { InvalidQueryError } from './audit-query';

/** The audit API's errors as HTTP statuses, in one place; anything else is Nest's 500. */
export function toHttpException(error: unknown): HttpException | undefined {
  if (error instanceof InvalidQueryError) return new BadRequestException(error.problems);
  if (error instanceof UnknownChainError) return new NotFoundException(error.message);
  if (error instanceof DatabaseUnavailableError || isConnectionFailure(error)) {
    return new ServiceUnavailableException('the audit database is not available; retry later');
  }
  return undefined;
}

@Catch()
export class AuditHttpErrorFilter extends BaseExceptionFilter {
  override catch(error: unknown, host: ArgumentsHost): void {
    super.catch(toHttpException(error) ?? error, host);
  }
}
