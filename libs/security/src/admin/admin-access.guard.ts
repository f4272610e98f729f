import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
  ServiceUnavailableException,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { AuthenticationFailure, CredentialServiceUnavailable } from '../credentials/authentication-failure';
import { checkAudience, CredentialVerifier } from '../credentials/credential.verifier';
import { SECURITY_CONFIG, type SecurityConfig } from '../credentials/security-config';
import { SecurityEventPublisher } from '../events/security-events.publisher';
import { adminRole, hasRole, type Principal } from '../identity/principal';
import { PRINCIPAL_PROPERTY, PUBLIC_ROUTE } from './route-access.decorators';

/** The scope a credential needs, besides the admin role, to use the admin API. */
export const adminScope = 'admin';

/**
 * Every HTTP route of every service needs an authenticated principal with the admin role and
 * the admin scope, unless the route or its controller is marked @Public. Installed once per
 * process as a global guard, so a new controller is locked without anyone remembering to lock it.
 * gRPC handlers are internal (service to service) and not this guard's business.
 */
@Injectable()
export class AdminAccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly credentials: CredentialVerifier,
    private readonly events: SecurityEventPublisher,
    @Inject(SECURITY_CONFIG) private readonly config: SecurityConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const isPublic = this.reflector.getAllAndOverride<string | undefined>(PUBLIC_ROUTE, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic !== undefined) return true;
    const request = context.switchToHttp().getRequest<Request>();
    const response = context.switchToHttp().getResponse<Response>();
    const principal = await this.authenticate(request, response);
    if (!hasRole(principal, adminRole) || !principal.scopes.includes(adminScope)) {
      this.events.publish({
        kind: 'access-denied',
        tenant: principal.tenant,
        principal: principal.id,
        method: `${request.method} ${request.path}`,
        reason: 'the admin API needs the admin role and the admin scope',
        clientAddress: request.ip,
        credentialId: principal.credentialId,
        action: 'rejected',
      });
      throw new ForbiddenException('the admin API needs the admin role and the admin scope');
    }
    (request as unknown as Record<string, unknown>)[PRINCIPAL_PROPERTY] = principal;
    return true;
  }

  private async authenticate(request: Request, response: Response): Promise<Principal> {
    try {
      const principal = await this.credentials.authenticate(request.headers);
      checkAudience(principal, [this.config.adminAudience]);
      return principal;
    } catch (error) {
      if (error instanceof CredentialServiceUnavailable) throw new ServiceUnavailableException(error.message);
      if (!(error instanceof AuthenticationFailure)) throw error;
      this.events.publish({
        kind: 'authentication-failed',
        tenant: error.claimedTenant,
        method: `${request.method} ${request.path}`,
        reason: `${error.reason}: ${error.message}`,
        clientAddress: request.ip,
        credentialId: error.credentialId,
        action: 'rejected',
      });
      response.setHeader(
        'WWW-Authenticate',
        error.reason === 'missing'
          ? 'Bearer'
          : `Bearer error="invalid_token", error_description="${error.reason}"`,
      );
      throw error.reason === 'missing'
        ? new UnauthorizedException(
            'the admin API needs a credential (Authorization: Bearer <API key or token>)',
          )
        : new HttpException(
            { statusCode: HttpStatus.UNAUTHORIZED, message: error.message, reason: error.reason },
            HttpStatus.UNAUTHORIZED,
          );
    }
  }
}
