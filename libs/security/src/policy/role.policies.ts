/** A role policy: a policy like any other, seeded for the default tenant and editable by admins. */
export interface RolePolicy {
  readonly id: string;
  readonly description: string;
  readonly source: string;
}

/** What the built-in roles mean; principals are in the roles their credentials name. */
export const rolePolicies: readonly RolePolicy[] = [
  {
    id: 'role-admin',
    description: 'Admins may do everything',
    source: 'permit (principal in Gateway::Role::"admin", action, resource);\n',
  },
  {
    id: 'role-developer',
    description: 'Developers use every server: lists, tool calls, resource reads, prompts and completions',
    source: 'permit (principal in Gateway::Role::"developer", action in Gateway::Action::"use", resource);\n',
  },
  {
    id: 'role-viewer',
    description: 'Viewers list, read resources and get prompts, but call no tool',
    source: 'permit (principal in Gateway::Role::"viewer", action in Gateway::Action::"view", resource);\n',
  },
];
