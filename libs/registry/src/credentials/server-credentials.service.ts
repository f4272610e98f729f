import { Injectable } from '@nestjs/common';
import type { z } from 'zod';
import type { ServerCredential, ServerDefinitionValue } from '@gateway/contracts';
import { CatalogService } from '../catalog/catalog.service';
import {
  InvalidServerCredentialError,
  MasterKeyMissingError,
  ServerCredentialNotFoundError,
  ServerNotFoundError,
} from './server-credential.errors';
import { credentialBodySchema, credentialProblems } from './server-credential-input.schema';
import { CredentialSealer } from './server-credential.sealer';
import { ServerCredentialStore } from './server-credential.store';
import { type ServerCredentialView, viewOf } from './server-credential.view';

/** What a PUT answers: never an echo of the secret. */
export interface ServerCredentialPutView {
  readonly kind: ServerCredential['kind'];
  readonly configured: true;
  readonly updatedAt: string;
}

function describeIssue(issue: z.core.$ZodIssue): string[] {
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => `${[...path, key].join('.')}: unknown field`);
  }
  return [`${path.join('.') || '(body)'}: ${issue.message}`];
}

/** Validates a PUT body against the rules and the server it is for; lists every problem with its field. */
export function parseCredentialBody(body: unknown, server: ServerDefinitionValue): ServerCredential {
  const parsed = credentialBodySchema.safeParse(body);
  if (!parsed.success) throw new InvalidServerCredentialError(parsed.error.issues.flatMap(describeIssue));
  const problems = credentialProblems(server, parsed.data).map(
    (problem) => `${problem.path.join('.')}: ${problem.message}`,
  );
  if (problems.length > 0) throw new InvalidServerCredentialError(problems);
  return parsed.data;
}

/**
 * The admin API's use cases for a server's credential: each change is sealed and written to
 * Postgres, recorded as an AdminChange, and published as a new revision of the server's
 * catalog record (the router reconnects with the new credential).
 */
@Injectable()
export class ServerCredentialsService {
  /** One change at a time, so revisions follow the order of the writes. */
  private writes: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly catalog: CatalogService,
    private readonly store: ServerCredentialStore,
    private readonly sealer: CredentialSealer,
  ) {}

  async get(serverId: string): Promise<ServerCredentialView> {
    this.requireServer(serverId);
    const stored = await this.store.get(serverId);
    if (!stored) throw new ServerCredentialNotFoundError(serverId);
    return viewOf(stored);
  }

  put(
    serverId: string,
    body: unknown,
    actor: string,
  ): Promise<{ view: ServerCredentialPutView; created: boolean }> {
    return this.oneAtATime(async () => {
      const server = this.requireServer(serverId);
      const credential = parseCredentialBody(body, server);
      if (!this.sealer.configured) throw new MasterKeyMissingError();
      const revision = server.revision + 1;
      const { stored, sealed, created } = await this.store.put(serverId, credential, 'api', actor, revision);
      await this.catalog.replaceCredentials(serverId, sealed);
      return {
        view: { kind: stored.kind, configured: true, updatedAt: stored.updatedAt.toISOString() },
        created,
      };
    });
  }

  delete(serverId: string, actor: string): Promise<void> {
    return this.oneAtATime(async () => {
      const server = this.requireServer(serverId);
      if (!(await this.store.get(serverId))) throw new ServerCredentialNotFoundError(serverId);
      await this.store.remove(serverId, actor, server.revision + 1);
      await this.catalog.replaceCredentials(serverId, undefined);
    });
  }

  private requireServer(serverId: string): ServerDefinitionValue {
    const server = this.catalog.get(serverId);
    if (!server) throw new ServerNotFoundError(serverId);
    return server;
  }

  private oneAtATime<T>(work: () => Promise<T>): Promise<T> {
    const result = this.writes.then(work);
    this.writes = result.catch(() => undefined);
    return result;
  }
}
