import { type ArgumentsHost, Catch, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { toHttpException } from '../registry-http-error.filter';
import { ToolPinNotFoundError, ToolPinsNotLoadedError } from './tool-pin.errors';

/** The tool pins API's errors as HTTP statuses; the registry's own mapping for the rest. */
@Catch()
export class ToolPinHttpErrorFilter extends BaseExceptionFilter {
  override catch(error: unknown, host: ArgumentsHost): void {
    if (error instanceof ToolPinNotFoundError) return super.catch(new NotFoundException(error.message), host);
    if (error instanceof ToolPinsNotLoadedError) {
      return super.catch(new ServiceUnavailableException(error.message), host);
    }
    super.catch(toHttpException(error) ?? error, host);
  }
}
