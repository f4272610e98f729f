import { Inject, Injectable } from '@nestjs/common';
import { EVENT_BUS, type EventBus } from '@gateway/platform';
import { recordAdminChange } from '../admin-change.recorder';
import { AuthEntityNotFoundError } from '../auth.errors';
import { changedEntityId } from '../identities/directory.service';
import { DirectoryRepository } from '../identities/directory.repository';
import type { DirectoryEntry } from '../identities/directory.model';
import { newId } from '../identities/entity-id';
import { clientSecretPrefix, generateClientSecret, hashClientSecret } from './client-secret.format';
import { ClientSecretRepository, type StoredClientSecret } from './client-secret.repository';

/** A client secret as the admin API lists it: never the secret itself. */
export interface ClientSecretView {
  readonly id: string;
  readonly client_id: string;
  readonly prefix: string;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
}

/** The answer to creating a secret: the only time the secret is shown. */
export interface IssuedClientSecret extends ClientSecretView {
  readonly client_secret: string;
}

function view(secret: StoredClientSecret): ClientSecretView {
  return {
    id: secret.id,
    client_id: secret.agentId,
    prefix: secret.prefix,
    createdAt: secret.createdAt.toISOString(),
    createdBy: secret.createdBy,
    expiresAt: secret.expiresAt?.toISOString() ?? null,
    revokedAt: secret.revokedAt?.toISOString() ?? null,
  };
}

/** An agent's client secrets: several may be in force at once, so a client can roll its secret over. */
@Injectable()
export class ClientSecretsService {
  constructor(
    private readonly secrets: ClientSecretRepository,
    private readonly directory: DirectoryRepository,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
  ) {}

  async create(agentId: string, expiresAt: Date | undefined, actor: string): Promise<IssuedClientSecret> {
    const agent = await this.agent(agentId);
    const secret = generateClientSecret();
    const row = {
      id: newId('cs'),
      agentId: agent.id,
      secretHash: hashClientSecret(secret),
      prefix: clientSecretPrefix(secret),
      createdAt: new Date(),
      createdBy: actor,
      expiresAt: expiresAt ?? null,
      revokedAt: null,
    };
    await this.secrets.insert(row);
    recordAdminChange(this.bus, {
      actor,
      entityType: 'identity',
      entityId: this.entityId(agent, row.id),
      action: 'created',
    });
    return { ...view(row), client_secret: secret };
  }

  async list(agentId: string): Promise<ClientSecretView[]> {
    const agent = await this.agent(agentId);
    return (await this.secrets.listOf(agent.id)).map(view);
  }

  /** Revokes the secret; tokens it already obtained stay valid until they expire. */
  async revoke(agentId: string, secretId: string, actor: string): Promise<ClientSecretView> {
    const agent = await this.agent(agentId);
    if (!(await this.secrets.find(agent.id, secretId))) {
      throw new AuthEntityNotFoundError(`agent "${agent.name}" has no client secret with id "${secretId}"`);
    }
    if (await this.secrets.revoke(secretId, new Date())) {
      recordAdminChange(this.bus, {
        actor,
        entityType: 'identity',
        entityId: this.entityId(agent, secretId),
        action: 'revoked',
      });
    }
    return view((await this.secrets.find(agent.id, secretId))!);
  }

  private entityId(agent: DirectoryEntry, secretId: string): string {
    return `${changedEntityId(agent)}/client-secret:${secretId}`;
  }

  private async agent(id: string): Promise<DirectoryEntry> {
    const agent = await this.directory.find('agent', id);
    if (!agent) throw new AuthEntityNotFoundError(`no agent with id "${id}"`);
    return agent;
  }
}
