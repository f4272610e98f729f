import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Principal } from '../identity/principal';

/** Metadata key of a route (or controller) that is reachable without the admin role. */
export const PUBLIC_ROUTE = 'gateway:public-route';

/**
 * Marks a controller or route as reachable without the admin role, saying why (the MCP
 * endpoints authenticate by the MCP authorization rules; metadata and health are public by
 * their specs). Every other HTTP route needs an authenticated admin.
 */
export const Public = (reason: string): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, reason);

/** Where the admin guard leaves the authenticated principal on the request. */
export const PRINCIPAL_PROPERTY = 'gatewayPrincipal';

/** The principal the admin guard authenticated for this request (undefined on public routes). */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal | undefined =>
    context.switchToHttp().getRequest<Record<string, unknown>>()[PRINCIPAL_PROPERTY] as Principal | undefined,
);
