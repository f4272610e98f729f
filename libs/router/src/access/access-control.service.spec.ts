import { type PolicyBundleDirectory, PolicyEngine, type SecurityEventPublisher } from '@gateway/security';
import { AccessControl } from './access-control.service';

const bundle = {
  tenant: 'default',
  revision: 1,
  source:
    '@id("role-developer")\npermit (principal in Gateway::Role::"developer", action in Gateway::Action::"use", resource);',
  defaultDecision: 'deny' as const,
  publishedAt: '2026-11-21T10:00:00.000Z',
};

function caller(roles: string[]) {
  return {
    tenant: 'default',
    principal: 'agent:build-bot',
    sessionId: '',
    kind: 'agent',
    roles,
    teams: [],
    scopes: [],
    credentialId: 'key-1',
    clientAddress: '127.0.0.1',
    subjectToken: '',
  };
}

describe('AccessControl list filtering', () => {
  let engine: PolicyEngine;
  let access: AccessControl;

  beforeEach(() => {
    engine = new PolicyEngine(bundle);
    const directory = { engineFor: () => engine, bundleOf: () => bundle } as unknown as PolicyBundleDirectory;
    access = new AccessControl(directory, { publish: () => undefined } as unknown as SecurityEventPublisher);
  });

  it('hides what the policies never allow and shows what they do', () => {
    expect(access.listFilter(caller(['developer']), {})('tool', 'everything', 'echo')).toBe(true);
    expect(access.listFilter(caller([]), {})('tool', 'everything', 'echo')).toBe(false);
  });

  it('asks the engine once per principal and item, not once per list', () => {
    const listable = jest.spyOn(engine, 'listable');
    for (let list = 0; list < 3; list += 1) {
      const admit = access.listFilter(caller(['developer']), {});
      for (const tool of ['echo', 'add', 'sleep']) expect(admit('tool', 'everything', tool)).toBe(true);
    }
    expect(listable).toHaveBeenCalledTimes(3);
    // Another principal's roles are another question.
    expect(access.listFilter(caller([]), {})('tool', 'everything', 'echo')).toBe(false);
    expect(listable).toHaveBeenCalledTimes(4);
  });
});
