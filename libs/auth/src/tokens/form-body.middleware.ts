import { Injectable, type NestMiddleware } from '@nestjs/common';
import { type NextFunction, type Request, type Response, urlencoded } from 'express';

/**
 * Parses the application/x-www-form-urlencoded bodies of the OAuth endpoints (RFC 6749 §3.2),
 * which the process-wide JSON parser leaves alone. A body that cannot be parsed is left undefined
 * for the endpoint to answer with an RFC 6749 error instead of a generic 400 page.
 */
@Injectable()
export class FormBodyMiddleware implements NestMiddleware {
  private readonly parse = urlencoded({ extended: false, limit: '16kb' });

  use(request: Request, response: Response, next: NextFunction): void {
    this.parse(request, response, (error?: unknown) => {
      if (error) request.body = undefined;
      next();
    });
  }
}
