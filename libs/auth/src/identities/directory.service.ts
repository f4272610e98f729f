import { Inject, Injectable } from '@nestjs/common';
import { EVENT_BUS, type EventBus } from '@gateway/platform';
import { recordAdminChange } from '../admin-change.recorder';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { AuthEntityNotFoundError, InvalidAuthRequestError } from '../auth.errors';
import { DirectoryRepository } from './directory.repository';
import {
  type DirectoryEntry,
  type EntryKind,
  type EntryLinks,
  qualifiedName,
  type TenantRecord,
} from './directory.model';
import { newId } from './entity-id';

export interface EntryView {
  readonly id: string;
  readonly tenant: string;
  readonly name: string;
  readonly description: string;
  /** Users and agents: the id tokens and policies name them by (`user:alice`). */
  readonly principalId?: string;
  /** Agents: the OAuth client id of the token endpoint. */
  readonly clientId?: string;
  /** Agents: the scopes they may ask a token for. */
  readonly scopes?: readonly string[];
  /** Roles held directly (a principal also holds its teams' roles). */
  readonly roles?: readonly string[];
  /** Users and agents: the teams they are in. */
  readonly teams?: readonly string[];
  /** Teams: their members' principal ids. */
  readonly members?: readonly string[];
  readonly createdAt: string;
  readonly createdBy: string;
}

export interface TenantView {
  readonly name: string;
  readonly description: string;
  readonly createdAt: string;
  readonly createdBy: string;
}

function tenantView(tenant: TenantRecord): TenantView {
  return { ...tenant, createdAt: tenant.createdAt.toISOString() };
}

export interface EntryInput extends EntryLinks {
  readonly tenant: string;
  readonly name: string;
  readonly description?: string;
  readonly scopes?: readonly string[];
}

export interface EntryChanges extends EntryLinks {
  readonly description?: string;
  readonly scopes?: readonly string[];
}

const idPrefix = { user: 'usr', agent: 'agt', team: 'team', role: 'role' } as const;

function isPrincipal(kind: EntryKind): kind is 'user' | 'agent' {
  return kind === 'user' || kind === 'agent';
}

/** The entity id of an AdminChange: the entry as policies name it, within its tenant. */
export function changedEntityId(entry: Pick<DirectoryEntry, 'tenant' | 'kind' | 'name'>): string {
  return `${entry.tenant}/${qualifiedName(entry.kind, entry.name)}`;
}

/**
 * Users, agents, teams and roles for the admin API. Each change is written, then recorded as an
 * AdminChange; removing a principal revokes its API keys (its client secrets go with its row).
 */
@Injectable()
export class DirectoryService {
  constructor(
    private readonly directory: DirectoryRepository,
    private readonly apiKeys: ApiKeysService,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
  ) {}

  async listTenants(): Promise<TenantView[]> {
    return (await this.directory.listTenants()).map(tenantView);
  }

  async getTenant(name: string): Promise<TenantView> {
    const tenant = await this.directory.findTenant(name);
    if (!tenant) throw new AuthEntityNotFoundError(`no tenant named "${name}"`);
    return tenantView(tenant);
  }

  async createTenant(input: { name: string; description?: string }, actor: string): Promise<TenantView> {
    const tenant = {
      name: input.name,
      description: input.description ?? '',
      createdAt: new Date(),
      createdBy: actor,
    };
    await this.directory.insertTenant(tenant);
    recordAdminChange(this.bus, {
      actor,
      entityType: 'identity',
      entityId: `tenant:${tenant.name}`,
      action: 'created',
    });
    return tenantView(tenant);
  }

  async list(kind: EntryKind, tenant: string): Promise<EntryView[]> {
    return this.views(kind, tenant, await this.directory.list(kind, tenant));
  }

  async get(kind: EntryKind, id: string): Promise<EntryView> {
    const entry = await this.require(kind, id);
    const [view] = await this.views(kind, entry.tenant, [entry]);
    return view!;
  }

  async create(kind: EntryKind, input: EntryInput, actor: string): Promise<EntryView> {
    if (!(await this.directory.findTenant(input.tenant))) {
      throw new InvalidAuthRequestError([`tenant: no tenant named "${input.tenant}"`]);
    }
    await this.checkLinks(input.tenant, input);
    const entry: DirectoryEntry = {
      id: newId(idPrefix[kind]),
      kind,
      tenant: input.tenant,
      name: input.name,
      description: input.description ?? '',
      scopes: kind === 'agent' ? [...(input.scopes ?? [])] : [],
      createdAt: new Date(),
      createdBy: actor,
    };
    await this.directory.insert(entry, input);
    recordAdminChange(this.bus, {
      actor,
      entityType: 'identity',
      entityId: changedEntityId(entry),
      action: 'created',
    });
    return this.get(kind, entry.id);
  }

  async update(kind: EntryKind, id: string, changes: EntryChanges, actor: string): Promise<EntryView> {
    const entry = await this.require(kind, id);
    await this.checkLinks(entry.tenant, changes);
    await this.directory.update(
      {
        ...entry,
        description: changes.description ?? entry.description,
        scopes: changes.scopes ? [...changes.scopes] : entry.scopes,
      },
      changes,
    );
    recordAdminChange(this.bus, {
      actor,
      entityType: 'identity',
      entityId: changedEntityId(entry),
      action: 'updated',
    });
    return this.get(kind, id);
  }

  async delete(kind: EntryKind, id: string, actor: string): Promise<void> {
    const entry = await this.require(kind, id);
    await this.directory.delete(entry);
    recordAdminChange(this.bus, {
      actor,
      entityType: 'identity',
      entityId: changedEntityId(entry),
      action: 'deleted',
    });
    if (isPrincipal(kind)) {
      await this.apiKeys.revokeAllOf(entry.tenant, qualifiedName(kind, entry.name), actor);
    }
  }

  async require(kind: EntryKind, id: string): Promise<DirectoryEntry> {
    const entry = await this.directory.find(kind, id);
    if (!entry) throw new AuthEntityNotFoundError(`no ${kind} with id "${id}"`);
    return entry;
  }

  /** Every role and team named must exist in the tenant; each miss is named by its field path. */
  private async checkLinks(tenant: string, links: EntryLinks): Promise<void> {
    const problems: string[] = [];
    for (const [field, kind] of [
      ['roles', 'role'],
      ['teams', 'team'],
    ] as const) {
      const names = links[field] ?? [];
      const missing = new Set(await this.directory.missingNames(kind, tenant, names));
      names.forEach((name, index) => {
        if (missing.has(name))
          problems.push(`${field}.${index}: no ${kind} named "${name}" in tenant "${tenant}"`);
      });
    }
    if (problems.length > 0) throw new InvalidAuthRequestError(problems);
  }

  private async views(
    kind: EntryKind,
    tenant: string,
    entries: readonly DirectoryEntry[],
  ): Promise<EntryView[]> {
    const names = entries.map((entry) => qualifiedName(kind, entry.name));
    const roles =
      kind === 'role' ? new Map<string, string[]>() : await this.directory.rolesHeld(tenant, names);
    const teams = isPrincipal(kind)
      ? await this.directory.teamsOf(tenant, names)
      : new Map<string, string[]>();
    const members =
      kind === 'team'
        ? await this.directory.membersOf(
            tenant,
            entries.map((entry) => entry.name),
          )
        : new Map<string, string[]>();
    return entries.map((entry) => {
      const name = qualifiedName(kind, entry.name);
      return {
        id: entry.id,
        tenant: entry.tenant,
        name: entry.name,
        description: entry.description,
        ...(isPrincipal(kind) && { principalId: name, teams: teams.get(name) ?? [] }),
        ...(kind === 'agent' && { clientId: entry.id, scopes: entry.scopes }),
        ...(kind !== 'role' && { roles: roles.get(name) ?? [] }),
        ...(kind === 'team' && { members: members.get(entry.name) ?? [] }),
        createdAt: entry.createdAt.toISOString(),
        createdBy: entry.createdBy,
      };
    });
  }
}
