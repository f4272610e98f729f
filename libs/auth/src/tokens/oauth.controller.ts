import { Controller, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { createLogger, DatabaseUnavailableError } from '@gateway/platform';
import { Public } from '@gateway/security';
import { SigningKeyUnavailableError } from '../signing-keys/signing-key.errors';
import { noStoreHeaders, OAuthError, oauthErrorResponse } from './oauth-error';
import { TokenGrantsService } from './token-grants.service';
import { clientCredentials, type FormParameters, formParameters } from './token-request.parser';

function asOAuthError(error: unknown): OAuthError | undefined {
  if (error instanceof OAuthError) return error;
  if (error instanceof SigningKeyUnavailableError || error instanceof DatabaseUnavailableError) {
    return new OAuthError('temporarily_unavailable', 'the authorization server is starting; retry shortly');
  }
  return undefined;
}

/** The OAuth 2.1 token endpoint (client credentials, token exchange) and RFC 7009 revocation. */
@Controller('oauth')
@Public('OAuth token and revocation endpoints: clients authenticate with their own client credentials')
export class OAuthController {
  private readonly logger = createLogger('oauth');

  constructor(private readonly grants: TokenGrantsService) {}

  @Post('token')
  async token(@Req() request: Request, @Res() response: Response): Promise<void> {
    await this.answer(request, response, '/oauth/token', async (form) => {
      const origin = { endpoint: '/oauth/token', clientAddress: request.ip };
      const result = await this.grants.token(
        form,
        clientCredentials(request.headers.authorization, form),
        origin,
      );
      response.status(200).set(noStoreHeaders).json(result);
    });
  }

  /** RFC 7009 §2.2: 200 with an empty body, also for a token that was invalid already. */
  @Post('revoke')
  async revoke(@Req() request: Request, @Res() response: Response): Promise<void> {
    await this.answer(request, response, '/oauth/revoke', async (form) => {
      const origin = { endpoint: '/oauth/revoke', clientAddress: request.ip };
      await this.grants.revoke(form, clientCredentials(request.headers.authorization, form), origin);
      response.status(200).set(noStoreHeaders).end();
    });
  }

  private async answer(
    request: Request,
    response: Response,
    endpoint: string,
    handle: (form: FormParameters) => Promise<void>,
  ): Promise<void> {
    try {
      if (!request.is('application/x-www-form-urlencoded')) {
        throw new OAuthError('invalid_request', 'expected an application/x-www-form-urlencoded body');
      }
      await handle(formParameters(request.body));
    } catch (error) {
      const refusal = asOAuthError(error);
      if (!refusal) this.logger.error({ err: error, endpoint }, 'OAuth request failed');
      const answer = oauthErrorResponse(
        refusal ?? new OAuthError('server_error', 'the request could not be handled'),
      );
      response.status(answer.status).set(answer.headers).json(answer.body);
    }
  }
}
