import { Entity, PrimaryColumn } from 'typeorm';

/** A principal (`user:alice`, `agent:build-bot`) in a team. */
@Entity({ name: 'team_members' })
export class TeamMemberEntity {
  @PrimaryColumn({ type: 'text' })
  tenant!: string;

  @PrimaryColumn({ type: 'text' })
  team!: string;

  @PrimaryColumn({ type: 'text' })
  member!: string;
}

/** A role held by a principal or a team (`team:sre`). */
@Entity({ name: 'role_assignments' })
export class RoleAssignmentEntity {
  @PrimaryColumn({ type: 'text' })
  tenant!: string;

  @PrimaryColumn({ type: 'text' })
  holder!: string;

  @PrimaryColumn({ type: 'text' })
  role!: string;
}
