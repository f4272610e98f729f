import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type INestApplication, Module } from '@nestjs/common';
import {
  AdminChange,
  type AdminChangeValue,
  PolicyBundleRecord,
  type PolicyBundleValue,
} from '@gateway/contracts';
import { EVENT_BUS, type EventBus, parseEvent, PlatformModule, startServiceProcess } from '@gateway/platform';
import { PolicyBundleDirectory, type Principal } from '@gateway/security';
import { loadPolicyConfig, type PolicyConfig } from './policy-config';
import { PolicyModule, policyGrpcPackages } from './policy.module';

/* The policy service as the embedded gateway runs it (in-process bus), with a data-plane directory beside it. */

const DIRECTORY_INSTANCE = Symbol('DIRECTORY_INSTANCE');

export function agent(roles: string[], tenant = 'default'): Principal {
  return {
    id: 'agent:build-bot',
    tenant,
    kind: 'agent',
    roles,
    teams: [],
    scopes: [],
    credentialId: 'key-1',
    credential: 'api-key',
  };
}

export const echo = { kind: 'tool', server: 'everything', name: 'echo' } as const;

/** The config file of the run: one policy and rate limits for tenant "acme". */
export function declaredConfig(directory: string): PolicyConfig {
  const file = join(directory, 'policies.yaml');
  writeFileSync(
    file,
    [
      'tenants:',
      '  acme:',
      '    policies:',
      '      acme-echo: |',
      '        permit (principal in Gateway::Role::"developer", action == Gateway::Action::"tools/call",',
      '                resource == Gateway::Tool::"everything/echo");',
      '    rateLimits:',
      '      - { id: per-agent, per: [agent], capacity: 5, refillPerSecond: 1 }',
    ].join('\n'),
  );
  return loadPolicyConfig({ POLICY_CONFIG_FILE: file, POLICY_DEFAULT_DECISION: 'deny' });
}

export interface RunningPolicyService {
  readonly app: INestApplication;
  readonly baseUrl: string;
  readonly grpcAddress: string;
  readonly bundles: PolicyBundleValue[];
  readonly changes: AdminChangeValue[];
}

/** Boots the service and starts recording what it publishes; the caller waits for /readyz. */
export async function startPolicyService(
  config: PolicyConfig,
  options: { run: string; databaseUrl: string; schema: string; grpcAddress: string },
): Promise<RunningPolicyService> {
  const { run, databaseUrl, schema, grpcAddress } = options;
  @Module({
    providers: [
      { provide: DIRECTORY_INSTANCE, useValue: `policy-int-${run}` },
      PolicyBundleDirectory.provider(DIRECTORY_INSTANCE),
    ],
  })
  class DataPlaneModule {}

  const app = await startServiceProcess({
    name: 'policy-int',
    modules: [
      PlatformModule.forRoot({ processName: `policy-int-${run}`, bus: { kind: 'in-process' }, databaseUrl }),
      PolicyModule.forRoot(config, { schema }),
      DataPlaneModule,
    ],
    http: { host: '127.0.0.1', port: 0 },
    grpc: { address: grpcAddress, packages: policyGrpcPackages },
  });
  const bus = app.get<EventBus>(EVENT_BUS);
  const bundles: PolicyBundleValue[] = [];
  const changes: AdminChangeValue[] = [];
  await bus.subscribe(
    { topic: PolicyBundleRecord.topic.name, groupId: 'observer', fromBeginning: true },
    async (message) => {
      bundles.push(parseEvent(PolicyBundleRecord, message));
    },
  );
  await bus.subscribe(
    { topic: AdminChange.topic.name, groupId: 'observer', fromBeginning: true },
    async (message) => {
      changes.push(parseEvent(AdminChange, message));
    },
  );
  const baseUrl = await app.getUrl();
  return { app, baseUrl, grpcAddress, bundles, changes };
}
