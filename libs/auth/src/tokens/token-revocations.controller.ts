import { Body, Controller, HttpCode, Post, UseFilters } from '@nestjs/common';
import { CurrentPrincipal, type Principal } from '@gateway/security';
import { z } from 'zod';
import { actorOf } from '../admin-change.recorder';
import { AuthHttpErrorFilter } from '../http/auth-http-error.filter';
import { parseRequestInput } from '../http/request-input.parser';
import { futureInstant, tenantName } from '../identities/identity-input.schema';
import { TokenRevocationService } from './token-revocation.service';

const tokenRevocationSchema = z
  .object({
    jti: z
      .string({ error: 'expected the token id (its jti claim)' })
      .min(1, 'expected the token id (its jti claim)'),
    expiresAt: futureInstant,
    tenant: tenantName,
  })
  .strict();

/** An admin revokes any token by its id, e.g. one seen in the audit trail, until it expires. */
@Controller('api/v1/auth/tokens')
@UseFilters(AuthHttpErrorFilter)
export class TokenRevocationsController {
  constructor(private readonly revocations: TokenRevocationService) {}

  @Post('revoke')
  @HttpCode(200)
  async revoke(
    @Body() body: unknown,
    @CurrentPrincipal() principal?: Principal,
  ): Promise<{ jti: string; revoked: boolean }> {
    const token = parseRequestInput(tokenRevocationSchema, body);
    return { jti: token.jti, revoked: await this.revocations.revoke(token, actorOf(principal)) };
  }
}
