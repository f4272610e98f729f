import { Inject, Injectable } from '@nestjs/common';
import type { Database } from '@gateway/platform';
import { type EntityManager, In } from 'typeorm';
import { AuthEntityConflictError } from '../auth.errors';
import { AUTH_DATABASE, isUniqueViolation } from '../auth-storage.tokens';
import {
  AgentEntity,
  type DirectoryEntryClass,
  RoleEntity,
  TeamEntity,
  UserEntity,
} from './directory-entry.entity';
import {
  type DirectoryEntry,
  type EntryKind,
  type EntryLinks,
  type PrincipalAccess,
  qualifiedName,
  type TenantRecord,
} from './directory.model';
import { RoleAssignmentEntity, TeamMemberEntity } from './membership.entity';
import { TenantEntity } from './tenant.entity';

const entityOf: Record<EntryKind, DirectoryEntryClass> = {
  user: UserEntity,
  agent: AgentEntity,
  team: TeamEntity,
  role: RoleEntity,
};

type EntryRow = UserEntity & Partial<Pick<AgentEntity, 'scopes'>>;

function toEntry(kind: EntryKind, row: EntryRow): DirectoryEntry {
  return {
    id: row.id,
    kind,
    tenant: row.tenant,
    name: row.name,
    description: row.description,
    scopes: row.scopes ?? [],
    createdAt: row.createdAt,
    createdBy: row.createdBy,
  };
}

function fromEntry(entry: DirectoryEntry): EntryRow {
  const { kind, scopes, ...row } = entry;
  return kind === 'agent' ? { ...row, scopes: [...scopes] } : row;
}

/** Tenants, principals, teams and roles, and the memberships between them. */
@Injectable()
export class DirectoryRepository {
  constructor(@Inject(AUTH_DATABASE) private readonly database: Database) {}

  async listTenants(): Promise<TenantRecord[]> {
    return this.manager()
      .getRepository(TenantEntity)
      .find({ order: { name: 'ASC' } });
  }

  async findTenant(name: string): Promise<TenantRecord | undefined> {
    return (await this.manager().getRepository(TenantEntity).findOneBy({ name })) ?? undefined;
  }

  async insertTenant(tenant: TenantRecord): Promise<void> {
    await this.uniquely(`tenant "${tenant.name}" already exists`, () =>
      this.manager().getRepository(TenantEntity).insert(tenant),
    );
  }

  async list(kind: EntryKind, tenant: string): Promise<DirectoryEntry[]> {
    const rows = await this.manager()
      .getRepository<EntryRow>(entityOf[kind])
      .find({
        where: { tenant },
        order: { name: 'ASC' },
      });
    return rows.map((row) => toEntry(kind, row));
  }

  async find(kind: EntryKind, id: string): Promise<DirectoryEntry | undefined> {
    const row = await this.manager().getRepository<EntryRow>(entityOf[kind]).findOneBy({ id });
    return row ? toEntry(kind, row) : undefined;
  }

  async findByName(kind: EntryKind, tenant: string, name: string): Promise<DirectoryEntry | undefined> {
    const row = await this.manager().getRepository<EntryRow>(entityOf[kind]).findOneBy({ tenant, name });
    return row ? toEntry(kind, row) : undefined;
  }

  /** Which of `names` no team (or role) of the tenant has. */
  async missingNames(kind: 'team' | 'role', tenant: string, names: readonly string[]): Promise<string[]> {
    if (names.length === 0) return [];
    const found = await this.manager()
      .getRepository<EntryRow>(entityOf[kind])
      .findBy({ tenant, name: In([...names]) });
    const known = new Set(found.map((row) => row.name));
    return names.filter((name) => !known.has(name));
  }

  /** Inserts the entry with its roles and teams in one transaction; a taken name is a conflict. */
  async insert(entry: DirectoryEntry, links: EntryLinks): Promise<void> {
    await this.uniquely(`${entry.kind} "${entry.name}" already exists in tenant "${entry.tenant}"`, () =>
      this.manager().transaction(async (manager) => {
        await manager.getRepository<EntryRow>(entityOf[entry.kind]).insert(fromEntry(entry));
        await this.replaceLinks(manager, entry, links);
      }),
    );
  }

  async update(entry: DirectoryEntry, links: EntryLinks): Promise<void> {
    await this.manager().transaction(async (manager) => {
      const { id, description, scopes } = entry;
      const changes = entry.kind === 'agent' ? { description, scopes: [...scopes] } : { description };
      await manager.getRepository<EntryRow>(entityOf[entry.kind]).update({ id }, changes);
      await this.replaceLinks(manager, entry, links);
    });
  }

  /** Removes the entry and every role and membership that names it. */
  async delete(entry: DirectoryEntry): Promise<void> {
    const name = qualifiedName(entry.kind, entry.name);
    await this.manager().transaction(async (manager) => {
      await manager.getRepository(RoleAssignmentEntity).delete({ tenant: entry.tenant, holder: name });
      await manager.getRepository(TeamMemberEntity).delete({ tenant: entry.tenant, member: name });
      await manager.getRepository<EntryRow>(entityOf[entry.kind]).delete({ id: entry.id });
    });
  }

  /** Roles held directly by each of the holders (`user:alice`, `team:sre`) of the tenant. */
  async rolesHeld(tenant: string, holders: readonly string[]): Promise<Map<string, string[]>> {
    const rows = holders.length
      ? await this.manager()
          .getRepository(RoleAssignmentEntity)
          .find({ where: { tenant, holder: In([...holders]) }, order: { role: 'ASC' } })
      : [];
    return groupBy(
      rows,
      (row) => row.holder,
      (row) => row.role,
    );
  }

  /** The teams each of the members belongs to. */
  async teamsOf(tenant: string, members: readonly string[]): Promise<Map<string, string[]>> {
    const rows = members.length
      ? await this.manager()
          .getRepository(TeamMemberEntity)
          .find({ where: { tenant, member: In([...members]) }, order: { team: 'ASC' } })
      : [];
    return groupBy(
      rows,
      (row) => row.member,
      (row) => row.team,
    );
  }

  /** The members of each of the teams. */
  async membersOf(tenant: string, teams: readonly string[]): Promise<Map<string, string[]>> {
    const rows = teams.length
      ? await this.manager()
          .getRepository(TeamMemberEntity)
          .find({ where: { tenant, team: In([...teams]) }, order: { member: 'ASC' } })
      : [];
    return groupBy(
      rows,
      (row) => row.team,
      (row) => row.member,
    );
  }

  /** A principal's own roles and its teams' roles, and its teams, in two queries. */
  async access(tenant: string, principalId: string): Promise<PrincipalAccess> {
    const teams = (await this.teamsOf(tenant, [principalId])).get(principalId) ?? [];
    const holders = [principalId, ...teams.map((team) => qualifiedName('team', team))];
    const held = await this.rolesHeld(tenant, holders);
    return { roles: [...new Set([...held.values()].flat())].sort(), teams };
  }

  private async replaceLinks(
    manager: EntityManager,
    entry: DirectoryEntry,
    links: EntryLinks,
  ): Promise<void> {
    const name = qualifiedName(entry.kind, entry.name);
    if (links.roles) {
      const assignments = manager.getRepository(RoleAssignmentEntity);
      await assignments.delete({ tenant: entry.tenant, holder: name });
      if (links.roles.length > 0) {
        await assignments.insert(links.roles.map((role) => ({ tenant: entry.tenant, holder: name, role })));
      }
    }
    if (links.teams) {
      const members = manager.getRepository(TeamMemberEntity);
      await members.delete({ tenant: entry.tenant, member: name });
      if (links.teams.length > 0) {
        await members.insert(links.teams.map((team) => ({ tenant: entry.tenant, team, member: name })));
      }
    }
  }

  /** Throws DatabaseUnavailableError until the schema is migrated, which the API answers with 503. */
  private manager(): EntityManager {
    return this.database.dataSource().manager;
  }

  private async uniquely(conflict: string, write: () => Promise<unknown>): Promise<void> {
    try {
      await write();
    } catch (error) {
      if (isUniqueViolation(error)) throw new AuthEntityConflictError(conflict);
      throw error;
    }
  }
}

function groupBy<Row>(
  rows: readonly Row[],
  key: (row: Row) => string,
  value: (row: Row) => string,
): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const row of rows) groups.set(key(row), [...(groups.get(key(row)) ?? []), value(row)]);
  return groups;
}
