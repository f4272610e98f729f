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
import { BundleCompositionError } from './bundles/bundle.composer';
import {
  InvalidPolicyError,
  InvalidPolicyRequestError,
  PoliciesNotLoadedError,
  PolicyNotFoundError,
} from './policies/policy.errors';

/** The policy admin API's errors as HTTP statuses, in one place; anything else is Nest's 500. */
export function toHttpException(error: unknown): HttpException | undefined {
  if (error instanceof InvalidPolicyError || error instanceof BundleCompositionError) {
    return new BadRequestException({ error: 'invalid policy', errors: error.errors });
  }
  if (error instanceof InvalidPolicyRequestError) return new BadRequestException(error.problems);
  if (error instanceof PolicyNotFoundError) return new NotFoundException(error.message);
  if (error instanceof PoliciesNotLoadedError || error instanceof DatabaseUnavailableError) {
    return new ServiceUnavailableException(error.message);
  }
  return undefined;
}

@Catch()
export class PolicyHttpErrorFilter extends BaseExceptionFilter {
  override catch(error: unknown, host: ArgumentsHost): void {
    super.catch(toHttpException(error) ?? error, host);
  }
}
