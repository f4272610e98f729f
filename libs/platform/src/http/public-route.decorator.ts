import { SetMetadata } from '@nestjs/common';

/** Metadata key of a route (or controller) that is reachable without the admin role. */
export const PUBLIC_ROUTE = 'gateway:public-route';

/**
 * Marks a controller or route as reachable without the admin role, saying why (the MCP
 * endpoints authenticate by the MCP authorization rules; metadata and health are public by
 * their specs). Every other HTTP route needs an authenticated admin.
 */
export const Public = (reason: string): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, reason);
