import { Controller, Get, Post, UseFilters } from '@nestjs/common';
import { CurrentPrincipal, type Principal } from '@gateway/security';
import { actorOf } from '../admin-change.recorder';
import { AuthHttpErrorFilter } from '../http/auth-http-error.filter';
import type { StoredSigningKey } from './signing-key-material';
import { SigningKeysService } from './signing-keys.service';

export interface SigningKeyView {
  readonly kid: string;
  readonly alg: string;
  readonly publicJwk: Record<string, string>;
  readonly createdAt: string;
  readonly retiresAt: string;
  readonly expiresAt: string;
}

function view(key: StoredSigningKey): SigningKeyView {
  return {
    kid: key.kid,
    alg: key.alg,
    publicJwk: key.publicJwk,
    createdAt: key.createdAt.toISOString(),
    retiresAt: key.retiresAt.toISOString(),
    expiresAt: key.expiresAt.toISOString(),
  };
}

@Controller('api/v1/auth/signing-keys')
@UseFilters(AuthHttpErrorFilter)
export class SigningKeysController {
  constructor(private readonly signingKeys: SigningKeysService) {}

  @Get()
  list(): { signingKeys: SigningKeyView[] } {
    return { signingKeys: this.signingKeys.liveKeys(new Date()).map(view) };
  }

  /** Signs with a new key from now on, e.g. after a suspected leak; the old stay verifiable a token lifetime. */
  @Post('rotate')
  async rotate(@CurrentPrincipal() principal?: Principal): Promise<SigningKeyView> {
    return view(await this.signingKeys.rotate(actorOf(principal)));
  }
}
