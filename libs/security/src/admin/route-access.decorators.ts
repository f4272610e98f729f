import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Principal } from '../identity/principal';

export { Public, PUBLIC_ROUTE } from '@gateway/platform';

/** Where the admin guard leaves the authenticated principal on the request. */
export const PRINCIPAL_PROPERTY = 'gatewayPrincipal';

/** The principal the admin guard authenticated for this request (undefined on public routes). */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal | undefined =>
    context.switchToHttp().getRequest<Record<string, unknown>>()[PRINCIPAL_PROPERTY] as Principal | undefined,
);
