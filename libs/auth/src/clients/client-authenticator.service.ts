import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { SecurityEvent } from '@gateway/contracts';
import { EVENT_BUS, type EventBus, publishEvent } from '@gateway/platform';
import { DirectoryRepository } from '../identities/directory.repository';
import { type DirectoryEntry, type PrincipalAccess, qualifiedName } from '../identities/directory.model';
import { OAuthError } from '../tokens/oauth-error';
import type { ClientCredentials } from '../tokens/token-request.parser';
import { hashClientSecret } from './client-secret.format';
import { ClientSecretRepository, type StoredClientSecret } from './client-secret.repository';

/** A client that proved it holds one of its secrets in force. */
export interface AuthenticatedClient {
  readonly clientId: string;
  readonly agent: DirectoryEntry;
  /** `agent:<name>`: the token's sub in the client credentials grant, and `act.sub` in an exchange. */
  readonly principalId: string;
  readonly access: PrincipalAccess;
}

/** Where an attempt came from, for the security event of a failure. */
export interface ClientOrigin {
  /** The endpoint path, e.g. /oauth/token. */
  readonly endpoint: string;
  readonly clientAddress?: string;
}

function failureReason(
  agent: DirectoryEntry | undefined,
  secret: StoredClientSecret | undefined,
  now: Date,
): string | undefined {
  if (!agent) return 'unknown client_id';
  if (!secret) return 'wrong client secret';
  if (secret.revokedAt) return 'client secret revoked';
  if (secret.expiresAt && secret.expiresAt <= now) return 'client secret expired';
  return undefined;
}

/** The tenant of a security event whose client could not be identified. */
const unidentifiedTenant = 'default';

/**
 * Authenticates clients of the token and revocation endpoints by their client secrets. Every
 * failure is answered with the same invalid_client (a caller learns nothing about which part was
 * wrong) and published as a SecurityEvent with the actual reason.
 */
@Injectable()
export class ClientAuthenticator {
  constructor(
    private readonly secrets: ClientSecretRepository,
    private readonly directory: DirectoryRepository,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
  ) {}

  async authenticate(
    credentials: ClientCredentials | undefined,
    origin: ClientOrigin,
  ): Promise<AuthenticatedClient> {
    if (!credentials) {
      this.reportFailure(undefined, 'no client authentication', origin);
      throw new OAuthError(
        'invalid_client',
        'client authentication is required (HTTP Basic or client_secret_post)',
      );
    }
    const agent = await this.directory.find('agent', credentials.clientId);
    const secret = await this.secrets.findByHash(hashClientSecret(credentials.clientSecret));
    const ownSecret = agent && secret?.agentId === agent.id ? secret : undefined;
    const reason = failureReason(agent, ownSecret, new Date());
    if (reason || !agent) {
      this.reportFailure(agent, reason ?? 'unknown client_id', origin, ownSecret?.id);
      throw new OAuthError('invalid_client', 'client authentication failed');
    }
    const principalId = qualifiedName('agent', agent.name);
    return {
      clientId: agent.id,
      agent,
      principalId,
      access: await this.directory.access(agent.tenant, principalId),
    };
  }

  private reportFailure(
    agent: DirectoryEntry | undefined,
    reason: string,
    origin: ClientOrigin,
    credentialId?: string,
  ): void {
    publishEvent(this.bus, SecurityEvent, {
      eventId: randomUUID(),
      occurredAt: new Date().toISOString(),
      tenant: agent?.tenant ?? unidentifiedTenant,
      kind: 'authentication-failed',
      ...(agent && { principal: qualifiedName('agent', agent.name) }),
      method: origin.endpoint,
      reason: `client authentication failed: ${reason}`,
      ...(origin.clientAddress && { clientAddress: origin.clientAddress }),
      ...(credentialId && { credentialId }),
      action: 'rejected',
    });
  }
}
