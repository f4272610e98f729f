import { Column, Entity, PrimaryColumn } from 'typeorm';

/** What users, agents, teams and roles have in common: a name unique in their tenant. */
abstract class DirectoryEntryEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  tenant!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  description!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;
}

@Entity({ name: 'users' })
export class UserEntity extends DirectoryEntryEntity {}

/** A service account: a client of the token endpoint, with the scopes it may ask for. */
@Entity({ name: 'agents' })
export class AgentEntity extends DirectoryEntryEntity {
  @Column({ type: 'text', array: true })
  scopes!: string[];
}

@Entity({ name: 'teams' })
export class TeamEntity extends DirectoryEntryEntity {}

/** A label users, agents and teams hold; what it allows is written as policy elsewhere. */
@Entity({ name: 'roles' })
export class RoleEntity extends DirectoryEntryEntity {}

export type DirectoryEntryClass =
  typeof UserEntity | typeof AgentEntity | typeof TeamEntity | typeof RoleEntity;
