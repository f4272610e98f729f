import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import {
  createLogger,
  errorMessage,
  EVENT_BUS,
  type EventBus,
  ReadinessRegistry,
  retryUntilDone,
} from '@gateway/platform';
import { adminRole } from '@gateway/security';
import { recordAdminChange, systemActor } from '../admin-change.recorder';
import { AUTH_CONFIG, type AuthConfig } from '../auth-config';
import { changedEntityId } from '../identities/directory.service';
import { type DirectoryEntry, qualifiedName } from '../identities/directory.model';
import { newId } from '../identities/entity-id';
import { gatewayScopes } from '../tokens/gateway-scopes';
import { newApiKey } from './api-keys.service';
import { BootstrapAdminRepository } from './bootstrap-admin.repository';

export const bootstrapTenant = 'default';
export const bootstrapUser = 'admin';

/** Roles made at first run, matching the role policies the policy service seeds. */
const seededRoles: ReadonlyArray<readonly [string, string]> = [
  [adminRole, 'Every admin route of the gateway, and every MCP action (policy role-admin)'],
  ['developer', 'Uses every server: lists, calls, reads, gets, completions (policy role-developer)'],
  ['viewer', 'Lists, reads resources and gets prompts, calls no tool (policy role-viewer)'],
];

export type BootstrapOutcome =
  | {
      readonly created: false;
      readonly reason: 'admin-key-in-force' | 'configured-key-spent';
      readonly newEntries: readonly DirectoryEntry[];
    }
  | {
      readonly created: true;
      readonly keyId: string;
      readonly key: string;
      readonly generated: boolean;
      readonly newEntries: readonly DirectoryEntry[];
    };

function entry(kind: 'user' | 'role', name: string, description: string): DirectoryEntry {
  return {
    id: newId(kind === 'user' ? 'usr' : 'role'),
    kind,
    tenant: bootstrapTenant,
    name,
    description,
    scopes: [],
    createdAt: new Date(),
    createdBy: systemActor,
  };
}

/** The banner that shows a generated key: on stdout itself, so it stands out of the JSON log. */
export function bootstrapBanner(key: string): string {
  const rule = '='.repeat(78);
  return [
    '',
    rule,
    ' MCP gateway: the first admin API key. It is shown ONCE and never again.',
    '',
    `     ${key}`,
    '',
    ` Send it as:  Authorization: Bearer ${key}`,
    ` It belongs to ${qualifiedName('user', bootstrapUser)} (role ${adminRole}, scopes ${gatewayScopes.join(' ')})`,
    ` in tenant "${bootstrapTenant}". Store it in a secret manager now. To replace it, create another`,
    ' key (POST /api/v1/auth/api-keys) and revoke this one (POST /api/v1/auth/api-keys/<id>/revoke).',
    rule,
    '',
  ].join('\n');
}

/**
 * First run: when the default tenant has no API key in force whose principal holds the admin role,
 * makes one for user:admin, so the admin API can be reached at all. One replica at a time decides,
 * under a lock; the key is printed only by the replica that made it, and only if it generated it.
 */
@Injectable()
export class BootstrapAdminService implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = createLogger('bootstrap-admin');
  private stopped = false;
  private checked = false;
  private lastError = '';

  constructor(
    private readonly repository: BootstrapAdminRepository,
    private readonly readiness: ReadinessRegistry,
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
  ) {}

  /** Not ready before the check: until then the admin API may have no key to be reached with. */
  onModuleInit(): void {
    this.readiness.register('auth-first-run', () => ({
      ready: this.checked,
      detail: this.checked ? 'an admin API key exists' : `checking ${this.lastError}`.trim(),
    }));
  }

  onApplicationBootstrap(): void {
    void retryUntilDone(() => this.ensureAdminKey().then(() => undefined), {
      stopped: () => this.stopped,
      onFailure: (error, attempt) => {
        this.lastError = errorMessage(error);
        this.logger.warn({ err: error, attempt }, 'first-run admin key check failed; retrying');
      },
    }).then((checked) => {
      this.checked = checked;
    });
  }

  onModuleDestroy(): void {
    this.stopped = true;
  }

  async ensureAdminKey(): Promise<BootstrapOutcome> {
    const outcome = await this.repository.locked(async (transaction): Promise<BootstrapOutcome> => {
      const now = new Date();
      // The roles the policy service seeds policies for exist from the first start on, so agents
      // can be given them at once; ensured on every start (a deleted one comes back).
      const newEntries: DirectoryEntry[] = [];
      for (const candidate of seededRoles.map(([name, description]) => entry('role', name, description))) {
        if (await transaction.ensureEntry(candidate)) newEntries.push(candidate);
      }
      const configured = this.config.bootstrapAdminKey;
      // A configured key is wanted whatever else exists (automation starts from it); a generated
      // one only when no admin key is in force.
      if (!configured && (await transaction.hasActiveKeyWithRole(bootstrapTenant, adminRole, now))) {
        return { created: false, reason: 'admin-key-in-force', newEntries };
      }
      const { key, row } = newApiKey(
        {
          tenant: bootstrapTenant,
          principal: qualifiedName('user', bootstrapUser),
          name: 'first-run admin key',
          scopes: gatewayScopes,
        },
        systemActor,
        configured,
      );
      if (await transaction.keyHashExists(row.keyHash)) {
        const inForce = await transaction.hasActiveKeyWithRole(bootstrapTenant, adminRole, now);
        return {
          created: false,
          reason: inForce ? 'admin-key-in-force' : 'configured-key-spent',
          newEntries,
        };
      }
      const user = entry('user', bootstrapUser, 'Made at first run to hold the first admin API key');
      if (await transaction.ensureEntry(user)) newEntries.push(user);
      await transaction.ensureRoleAssignment(
        bootstrapTenant,
        qualifiedName('user', bootstrapUser),
        adminRole,
      );
      await transaction.insertKey(row);
      return { created: true, keyId: row.id, key, generated: !this.config.bootstrapAdminKey, newEntries };
    });
    this.announce(outcome);
    return outcome;
  }

  private announce(outcome: BootstrapOutcome): void {
    for (const created of outcome.newEntries) {
      recordAdminChange(this.bus, {
        actor: systemActor,
        entityType: 'identity',
        entityId: changedEntityId(created),
        action: 'created',
      });
    }
    if (!outcome.created) {
      if (outcome.reason === 'configured-key-spent') {
        this.logger.error(
          'AUTH_BOOTSTRAP_ADMIN_KEY was revoked or expired, and no other admin API key is in force: ' +
            'set AUTH_BOOTSTRAP_ADMIN_KEY to a new key, or unset it to have one generated',
        );
      }
      return;
    }
    recordAdminChange(this.bus, {
      actor: systemActor,
      entityType: 'api-key',
      entityId: outcome.keyId,
      action: 'created',
    });
    this.logger.info(
      { keyId: outcome.keyId, fromEnvironment: !outcome.generated },
      'first-run admin API key created',
    );
    if (outcome.generated) process.stdout.write(bootstrapBanner(outcome.key));
  }
}
