import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { startEmbeddedPostgres } from '@gateway/platform';
import {
  type AgentClient,
  type AuthServiceUnderTest,
  createAgentClient,
  postForm,
  requestJson,
  startAuthService,
} from '../auth-service.fixture';

/* The token suites' service on PGlite, with two agents: build-bot (roles through a team) and router. */

export const issuer = 'https://gateway.example.test';
export const mcpResource = 'https://mcp.example.test/mcp';
export const toolsResource = 'https://tools.example.test/api';
export const tokenExchange = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const accessTokenType = 'urn:ietf:params:oauth:token-type:access_token';

export interface TokenTestbed {
  readonly auth: AuthServiceUnderTest;
  readonly buildBot: AgentClient;
  readonly router: AgentClient;
  /** A client credentials token for the MCP resource. */
  tokenFor(client: AgentClient, form?: Record<string, string>): Promise<string>;
  stop(): Promise<void>;
}

/** Starts the service and waits with `untilReady` (the suite's waitFor) before adding the agents. */
export async function startTokenTestbed(
  untilReady: (baseUrl: string) => Promise<void>,
): Promise<TokenTestbed> {
  const dataDir = await mkdtemp(join(tmpdir(), 'auth-tokens-'));
  const postgres = await startEmbeddedPostgres({
    dataDir: join(dataDir, 'pglite'),
    logger: pino({ level: 'silent' }),
  });
  const auth = await startAuthService({
    databaseUrl: postgres.url,
    schema: 'auth',
    grpcAddress: `unix:${join(dataDir, 'auth.sock')}`,
    env: {
      AUTH_ISSUER: issuer,
      AUTH_ALLOWED_RESOURCES: 'https://mcp.example.test/,https://tools.example.test/',
      AUTH_BOOTSTRAP_ADMIN_KEY: `mgw_${'a'.repeat(43)}`,
    },
  });
  await untilReady(auth.baseUrl);
  for (const role of ['developer', 'on-call']) {
    await requestJson(auth.baseUrl, 'POST', '/api/v1/auth/roles', { name: role });
  }
  await requestJson(auth.baseUrl, 'POST', '/api/v1/auth/teams', { name: 'platform', roles: ['on-call'] });
  const buildBot = await createAgentClient(auth.baseUrl, {
    name: 'build-bot',
    scopes: ['mcp:read', 'mcp:call'],
    roles: ['developer'],
    teams: ['platform'],
  });
  const router = await createAgentClient(auth.baseUrl, { name: 'router', scopes: ['mcp:read'] });
  return {
    auth,
    buildBot,
    router,
    tokenFor: async (client, form = {}) => {
      const answer = await postForm(
        auth.baseUrl,
        '/oauth/token',
        { grant_type: 'client_credentials', resource: mcpResource, ...form },
        client.client,
      );
      if (answer.status !== 200) throw new Error(`no token: ${JSON.stringify(answer.body)}`);
      return answer.body!['access_token'] as string;
    },
    stop: async () => {
      await auth.close();
      await postgres.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
