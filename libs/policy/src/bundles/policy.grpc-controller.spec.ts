import { status as GrpcStatus } from '@grpc/grpc-js';
import type { RpcException } from '@nestjs/microservices';
import { type PolicyApi, PolicyBundleRecord, type PolicyBundleValue } from '@gateway/contracts';
import { InProcessEventBus, parseEvent, ReadinessRegistry } from '@gateway/platform';
import { assignPolicyIds, gatewayCedarSchema } from '@gateway/security';
import { waitFor } from '@gateway/testing';
import { PolicyBundlesService } from './policy-bundles.service';
import { PolicyGrpcController } from './policy.grpc-controller';

const echoOnlyHello = assignPolicyIds(
  `permit (principal in Gateway::Role::"developer", action == Gateway::Action::"tools/call", resource in Gateway::Server::"everything")
   when { context.arguments.message like "hello*" };`,
  'echo-hello',
);

function bundle(): PolicyBundleValue {
  if (!echoOnlyHello.ok) throw new Error('the fixture policy does not parse');
  return {
    tenant: 'acme',
    revision: 4,
    source: echoOnlyHello.policies[0]!.text,
    schema: gatewayCedarSchema,
    defaultDecision: 'allow',
    rateLimits: [{ id: 'per-agent', per: ['agent'], capacity: 5, refillPerSecond: 1 }],
    publishedAt: '2026-11-21T10:00:00.000Z',
  };
}

function request(overrides: Partial<PolicyApi.DecideRequest>): PolicyApi.DecideRequest {
  return {
    tenant: 'acme',
    principal: 'agent:build-bot',
    principalKind: 'agent',
    roles: ['developer'],
    teams: [],
    scopes: [],
    action: 'tools/call',
    resourceKind: 'tool',
    resourceName: 'echo',
    server: 'everything',
    contextJson: JSON.stringify({ arguments: { message: 'hello there' } }),
    ...overrides,
  };
}

function grpcCode(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    return ((error as RpcException).getError() as { code: number }).code;
  }
  return undefined;
}

describe('the policy gRPC API', () => {
  const bus = new InProcessEventBus();
  const bundles = new PolicyBundlesService(
    bus,
    { defaultDecision: 'deny', declared: [] },
    new ReadinessRegistry(),
  );
  const controller = new PolicyGrpcController(bundles);

  afterAll(() => bus.close());

  it('answers UNAVAILABLE until the bundles are loaded', () => {
    expect(grpcCode(() => controller.decide(request({})))).toBe(GrpcStatus.UNAVAILABLE);
  });

  it('decides with the tenant bundle, passing the arguments in the context', async () => {
    await bus.ensureTopics([PolicyBundleRecord.topic]);
    const published: PolicyBundleValue[] = [];
    await bus.subscribe(
      { topic: PolicyBundleRecord.topic.name, groupId: 'spec', fromBeginning: true },
      async (message) => {
        published.push(parseEvent(PolicyBundleRecord, message));
      },
    );
    bundles.install(bundle());
    bundles.markLoaded();

    expect(controller.decide(request({}))).toEqual({
      decision: 'allow',
      policyIds: ['echo-hello'],
      reason: 'permitted by echo-hello',
      errors: [],
      bundleRevision: 4,
    });
    expect(
      controller.decide(request({ contextJson: JSON.stringify({ arguments: { message: 'bye' } }) })),
    ).toMatchObject({
      decision: 'deny',
      bundleRevision: 4,
    });
    expect(controller.decide(request({ roles: [] })).decision).toBe('deny');
    // A tenant without a bundle has no policies at all: POLICY_DEFAULT_DECISION applies.
    expect(controller.decide(request({ tenant: 'other' }))).toMatchObject({
      decision: 'deny',
      bundleRevision: 0,
    });
    await waitFor(() => published.length === 1, { description: 'the bundle on the bundles topic' });
    expect(published[0]).toEqual(bundle());
  });

  it('refuses malformed requests and serves the bundle', () => {
    expect(grpcCode(() => controller.decide(request({ resourceKind: 'file' })))).toBe(
      GrpcStatus.INVALID_ARGUMENT,
    );
    expect(grpcCode(() => controller.decide(request({ contextJson: '{' })))).toBe(
      GrpcStatus.INVALID_ARGUMENT,
    );
    expect(controller.getBundle({ tenant: 'acme' }).bundle).toMatchObject({
      tenant: 'acme',
      revision: 4,
      defaultDecision: 'allow',
      rateLimitsJson: JSON.stringify(bundle().rateLimits),
      guardrailsJson: '',
    });
    expect(grpcCode(() => controller.getBundle({ tenant: 'other' }))).toBe(GrpcStatus.NOT_FOUND);
  });
});
