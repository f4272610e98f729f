import { Inject, Injectable } from '@nestjs/common';
import { isDeepStrictEqual } from 'node:util';
import type { ServerCredential } from '@gateway/contracts';
import { createLogger, EVENT_BUS, type EventBus } from '@gateway/platform';
import { Actors, recordAdminChange } from '../admin-change.recorder';
import type { ServerCredentialSource } from './server-credential.entity';
import { type StoredServerCredential, ServerCredentialRepository } from './server-credential.repository';
import { CredentialSealer, type SealedCredential } from './server-credential.sealer';
import { credentialMetadata } from './server-credential.view';

/** Nest token of the config file's credentials, secrets read from the environment (server id → credential). */
export const DECLARED_CREDENTIALS = Symbol('DECLARED_CREDENTIALS');

export type DeclaredCredentials = ReadonlyMap<string, ServerCredential>;

function sealedOf(stored: StoredServerCredential): SealedCredential {
  return { kind: stored.kind, sealed: stored.sealed };
}

/**
 * The server credentials table: what the config file declares applied at start (a credential
 * the admin API set is kept over the file's), sealed before it is written, and every change
 * recorded as an AdminChange. Callers get the sealed form only.
 */
@Injectable()
export class ServerCredentialStore {
  private readonly logger = createLogger('server-credentials');

  constructor(
    private readonly repository: ServerCredentialRepository,
    private readonly sealer: CredentialSealer,
    @Inject(DECLARED_CREDENTIALS) private readonly declared: DeclaredCredentials,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
  ) {}

  get(serverId: string): Promise<StoredServerCredential | undefined> {
    return this.repository.get(serverId);
  }

  /**
   * Brings the table in line with the servers of the config file and returns each server's
   * sealed credential: the file's where it changed, the stored one otherwise (so an unchanged
   * credential keeps its envelope text and its server keeps its revision).
   */
  async reconcile(serverIds: readonly string[]): Promise<Map<string, SealedCredential>> {
    const stored = new Map((await this.repository.list()).map((row) => [row.serverId, row]));
    const declaredServers = new Set(serverIds);
    const effective = new Map<string, SealedCredential>();
    for (const serverId of stored.keys()) {
      if (!declaredServers.has(serverId)) await this.remove(serverId, Actors.config);
    }
    for (const serverId of serverIds) {
      const row = stored.get(serverId);
      const declared = this.declared.get(serverId);
      if (row?.source === 'api') {
        if (declared) {
          this.logger.warn(
            { serverId },
            "credentials were set through the admin API; they are kept over the file's (delete them " +
              'through the API and restart to manage them from the file again)',
          );
        }
        effective.set(serverId, await this.resealedIfRetired(row));
      } else if (declared) {
        const unchanged = row && this.holds(row, declared);
        const kept = unchanged
          ? await this.resealedIfRetired(row)
          : (await this.put(serverId, declared, 'config', Actors.config)).sealed;
        effective.set(serverId, kept);
      } else if (row) {
        await this.remove(serverId, Actors.config);
      }
    }
    return effective;
  }

  /** Seals and writes a server's credential, replacing any; returns the row and whether it is new. */
  async put(
    serverId: string,
    credential: ServerCredential,
    source: ServerCredentialSource,
    actor: string,
    revision?: number,
  ): Promise<{ stored: StoredServerCredential; sealed: SealedCredential; created: boolean }> {
    const sealed = this.sealer.seal(serverId, credential);
    const previous = (await this.repository.get(serverId)) !== undefined;
    const stored: StoredServerCredential = {
      serverId,
      kind: sealed.kind,
      sealed: sealed.sealed,
      metadata: credentialMetadata(credential),
      source,
      updatedAt: new Date(),
    };
    await this.repository.upsert(stored);
    recordAdminChange(this.bus, {
      actor,
      entityType: 'server-credential',
      entityId: serverId,
      action: previous ? 'updated' : 'created',
      revision,
    });
    return { stored, sealed, created: !previous };
  }

  async remove(serverId: string, actor: string, revision?: number): Promise<void> {
    await this.repository.delete(serverId);
    recordAdminChange(this.bus, {
      actor,
      entityType: 'server-credential',
      entityId: serverId,
      action: 'deleted',
      revision,
    });
  }

  /** Whether a stored credential opens to the declared one (false when it cannot be opened). */
  private holds(row: StoredServerCredential, declared: ServerCredential): boolean {
    try {
      return isDeepStrictEqual(this.sealer.open(row.serverId, sealedOf(row)), declared);
    } catch {
      return false;
    }
  }

  /** After a master key rotation: sealed again with the current key, so a retired key can go. */
  private async resealedIfRetired(row: StoredServerCredential): Promise<SealedCredential> {
    if (!this.sealer.needsResealing(sealedOf(row))) return sealedOf(row);
    const credential = this.sealer.open(row.serverId, sealedOf(row));
    const sealed = this.sealer.seal(row.serverId, credential);
    await this.repository.upsert({ ...row, sealed: sealed.sealed, updatedAt: new Date() });
    recordAdminChange(this.bus, {
      actor: Actors.config,
      entityType: 'server-credential',
      entityId: row.serverId,
      action: 'rotated',
    });
    return sealed;
  }
}
