import { Inject, Injectable } from '@nestjs/common';
import { RevocationRecord } from '@gateway/contracts';
import { EVENT_BUS, type EventBus, publishEvent } from '@gateway/platform';
import { recordAdminChange } from '../admin-change.recorder';
import { AuthEntityNotFoundError, InvalidAuthRequestError } from '../auth.errors';
import { DirectoryRepository } from '../identities/directory.repository';
import { parsePrincipalId } from '../identities/directory.model';
import { newId } from '../identities/entity-id';
import { apiKeyPrefix, generateApiKey } from './api-key.format';
import { type ApiKeyFilter, ApiKeyRepository } from './api-key.repository';
import { hashApiKey, type StoredApiKey } from './api-key-verifier';

/** An API key as the admin API lists it: never the key itself. */
export interface ApiKeyView {
  readonly id: string;
  readonly tenant: string;
  readonly principal: string;
  readonly name: string;
  readonly prefix: string;
  readonly scopes: readonly string[];
  readonly createdAt: string;
  readonly createdBy: string;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
  readonly lastUsedAt: string | null;
}

/** The answer to creating a key: the only time the key is shown. */
export interface CreatedApiKey extends ApiKeyView {
  readonly key: string;
}

export interface ApiKeyRequest {
  readonly tenant: string;
  readonly principal: string;
  readonly name: string;
  readonly scopes: readonly string[];
  readonly expiresAt?: Date;
}

export function apiKeyView(key: StoredApiKey): ApiKeyView {
  return {
    id: key.id,
    tenant: key.tenant,
    principal: key.principalId,
    name: key.name,
    prefix: key.prefix,
    scopes: key.scopes,
    createdAt: key.createdAt.toISOString(),
    createdBy: key.createdBy,
    expiresAt: key.expiresAt?.toISOString() ?? null,
    revokedAt: key.revokedAt?.toISOString() ?? null,
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
  };
}

/** A new key's row; the key is returned beside it, since only its hash is stored. */
export function newApiKey(
  request: ApiKeyRequest,
  createdBy: string,
  key = generateApiKey(),
): { key: string; row: StoredApiKey & { keyHash: string } } {
  const kind = parsePrincipalId(request.principal)?.kind ?? 'user';
  return {
    key,
    row: {
      id: newId('key'),
      keyHash: hashApiKey(key),
      tenant: request.tenant,
      principalId: request.principal,
      principalKind: kind,
      name: request.name,
      prefix: apiKeyPrefix(key),
      scopes: [...request.scopes],
      createdAt: new Date(),
      createdBy,
      expiresAt: request.expiresAt ?? null,
      revokedAt: null,
      lastUsedAt: null,
    },
  };
}

/**
 * Issues and revokes API keys. A revocation is published on the compacted revocations topic,
 * which every verifier keeps in memory, so a revoked key stops working without a database read.
 */
@Injectable()
export class ApiKeysService {
  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly directory: DirectoryRepository,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
  ) {}

  async create(request: ApiKeyRequest, actor: string): Promise<CreatedApiKey> {
    const principal = parsePrincipalId(request.principal);
    if (!principal || !(await this.directory.findByName(principal.kind, request.tenant, principal.name))) {
      throw new InvalidAuthRequestError([`principal: no ${request.principal} in tenant "${request.tenant}"`]);
    }
    const { key, row } = newApiKey(request, actor);
    await this.keys.insert(row);
    recordAdminChange(this.bus, { actor, entityType: 'api-key', entityId: row.id, action: 'created' });
    return { ...apiKeyView(row), key };
  }

  async list(filter: ApiKeyFilter): Promise<ApiKeyView[]> {
    return (await this.keys.list(filter)).map(apiKeyView);
  }

  async get(id: string): Promise<ApiKeyView> {
    return apiKeyView(await this.require(id));
  }

  /** Revokes the key; revoking it again changes and publishes nothing. */
  async revoke(id: string, actor: string): Promise<ApiKeyView> {
    const existing = await this.require(id);
    const revoked = await this.keys.revoke(id, new Date());
    if (revoked) this.announceRevocation(revoked, actor);
    return apiKeyView(revoked ?? existing);
  }

  /** Revokes every key of a principal, as when the principal is removed. */
  async revokeAllOf(tenant: string, principalId: string, actor: string): Promise<void> {
    for (const key of await this.keys.revokeAllOf(tenant, principalId, new Date()))
      this.announceRevocation(key, actor);
  }

  private announceRevocation(key: StoredApiKey, actor: string): void {
    publishEvent(this.bus, RevocationRecord, {
      credentialId: key.id,
      kind: 'api-key',
      tenant: key.tenant,
      revokedAt: (key.revokedAt ?? new Date()).toISOString(),
      ...(key.expiresAt && { expiresAt: key.expiresAt.toISOString() }),
    });
    recordAdminChange(this.bus, { actor, entityType: 'api-key', entityId: key.id, action: 'revoked' });
  }

  private async require(id: string): Promise<StoredApiKey> {
    const key = await this.keys.find(id);
    if (!key) throw new AuthEntityNotFoundError(`no API key with id "${id}"`);
    return key;
  }
}
