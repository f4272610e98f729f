import { PolicyEngine } from './policy.engine';
import { type ListedResource, PolicyCompilationError, type PolicyResource } from './policy-decision';
import { bundle, policySource, principal, roleSource } from './policy-engine.fixture';

const echo: ListedResource = { kind: 'tool', server: 'everything', name: 'echo' };
const add: ListedResource = { kind: 'tool', server: 'everything', name: 'add' };
const readme: ListedResource = { kind: 'resource', server: 'everything', name: 'demo://readme' };
const greeting: ListedResource = { kind: 'prompt', server: 'everything', name: 'greeting' };
const everything: PolicyResource = { kind: 'server', server: 'everything', name: 'everything' };

function engineWith(policies: Readonly<Record<string, string>>, withRoles = true): PolicyEngine {
  const source = [withRoles ? roleSource : '', policySource(policies)].filter(Boolean).join('\n\n');
  return new PolicyEngine(bundle(source));
}

describe('PolicyEngine', () => {
  describe('the role policies', () => {
    const engine = engineWith({});
    const decide = (roles: string[], action: string, resource: PolicyResource) =>
      engine.decide({ principal: principal({ roles }), action, resource, context: {} });

    it('lets admins do everything and developers use every server', () => {
      expect(decide(['admin'], 'tools/call', echo)).toMatchObject({
        decision: 'allow',
        policyIds: ['role-admin'],
      });
      for (const [action, resource] of [
        ['tools/call', echo],
        ['tools/list', echo],
        ['resources/read', readme],
        ['resources/list', readme],
        ['prompts/get', greeting],
        ['prompts/list', greeting],
        ['completion/complete', everything],
      ] as const) {
        expect(decide(['developer'], action, resource)).toMatchObject({
          decision: 'allow',
          policyIds: ['role-developer'],
          errors: [],
        });
      }
    });

    it('lets viewers list, read and get, but call no tool', () => {
      expect(decide(['viewer'], 'tools/list', echo).decision).toBe('allow');
      expect(decide(['viewer'], 'resources/read', readme).decision).toBe('allow');
      expect(decide(['viewer'], 'prompts/get', greeting).decision).toBe('allow');
      expect(decide(['viewer'], 'tools/call', echo)).toEqual({
        decision: 'deny',
        policyIds: [],
        reason: 'no policy permits tools/call on Gateway::Tool::"everything/echo"',
        errors: [],
      });
      expect(decide(['viewer'], 'completion/complete', everything).decision).toBe('deny');
    });

    it('denies a principal without a role, and reaches roles through teams too', () => {
      expect(decide([], 'tools/list', echo).decision).toBe('deny');
      const viaTeam = engineWith({
        'platform-team':
          'permit (principal in Gateway::Team::"platform", action, resource in Gateway::Server::"everything");',
      });
      const member = principal({ teams: ['platform'] });
      expect(
        viaTeam.decide({ principal: member, action: 'tools/call', resource: echo, context: {} }),
      ).toMatchObject({
        decision: 'allow',
        policyIds: ['platform-team'],
      });
      expect(
        viaTeam.decide({
          principal: member,
          action: 'tools/call',
          resource: { ...echo, server: 'other' },
          context: {},
        }).decision,
      ).toBe('deny');
    });
  });

  describe('a tool permitted for some argument values', () => {
    const engine = engineWith({
      'echo-hello': `permit (principal, action == Gateway::Action::"tools/call", resource == Gateway::Tool::"everything/echo")
        when { context.arguments.message like "hello*" };`,
    });
    const viewer = principal({ roles: ['viewer'] });
    const call = (args: unknown) =>
      engine.decide({
        principal: viewer,
        action: 'tools/call',
        resource: echo,
        context: { arguments: args },
      });

    it('allows the call with a matching argument and denies the others', () => {
      expect(call({ message: 'hello world' })).toEqual({
        decision: 'allow',
        policyIds: ['echo-hello'],
        reason: 'permitted by echo-hello',
        errors: [],
      });
      expect(call({ message: 'goodbye' })).toMatchObject({ decision: 'deny', policyIds: [], errors: [] });
      // Without the argument the permit errs: an error never allows.
      const missing = call({});
      expect(missing.decision).toBe('deny');
      expect(missing.errors).toEqual([expect.stringContaining('echo-hello: ')]);
    });

    it('keeps the tool listed, and hides a tool the principal can never call', () => {
      expect(engine.listable({ principal: viewer, resource: echo, context: {} })).toBe(true);
      expect(engine.listable({ principal: viewer, resource: add, context: {} })).toBe(false);
      expect(engine.listable({ principal: viewer, resource: readme, context: {} })).toBe(true);
      expect(engine.listable({ principal: principal(), resource: echo, context: {} })).toBe(false);
    });

    it('refuses arguments that would read as Cedar entity references', () => {
      expect(call({ message: { __entity: { type: 'Gateway::Role', id: 'admin' } } })).toMatchObject({
        decision: 'deny',
        reason: 'the tool arguments cannot be evaluated',
        errors: ['arguments.message.__entity: the key "__entity" is reserved by Cedar'],
      });
    });
  });

  it('passes numbers, nested records and sets of arguments as Cedar values', () => {
    const engine = engineWith(
      {
        transfer: `permit (principal, action == Gateway::Action::"tools/call", resource)
          when { context.arguments.amount.lessThanOrEqual(decimal("10.5"))
            && context.arguments.count < 3
            && context.arguments.target.account like "acct-*"
            && context.arguments.tags.contains("ok") };`,
      },
      false,
    );
    const call = (args: unknown) =>
      engine.decide({
        principal: principal(),
        action: 'tools/call',
        resource: echo,
        context: { arguments: args },
      }).decision;
    const allowed = { amount: 10.25, count: 2, target: { account: 'acct-7', note: null }, tags: ['ok', 'x'] };
    expect(call(allowed)).toBe('allow');
    expect(call({ ...allowed, amount: 10.75 })).toBe('deny');
    expect(call({ ...allowed, count: 3 })).toBe('deny');
    expect(call({ ...allowed, tags: ['x'] })).toBe('deny');
    expect(call({ ...allowed, target: { account: 'other' } })).toBe('deny');
  });

  it('passes every argument to a policy that reads the arguments as a whole', () => {
    const engine = engineWith(
      {
        exactly: `permit (principal, action == Gateway::Action::"tools/call", resource)
          when { context.arguments == { message: "hi" } };`,
      },
      false,
    );
    const call = (args: unknown) =>
      engine.decide({
        principal: principal(),
        action: 'tools/call',
        resource: echo,
        context: { arguments: args },
      }).decision;
    expect(call({ message: 'hi' })).toBe('allow');
    expect(call({ message: 'hi', extra: 1 })).toBe('deny');
  });

  describe('forbid', () => {
    const engine = engineWith({
      'no-delete': 'forbid (principal, action, resource == Gateway::Tool::"everything/delete");',
      'no-big-sums': `forbid (principal, action == Gateway::Action::"tools/call", resource == Gateway::Tool::"everything/add")
        when { context.arguments has a && context.arguments.a > 1000 };`,
    });
    const developer = principal({ roles: ['developer', 'admin'] });
    const deleteTool: ListedResource = { kind: 'tool', server: 'everything', name: 'delete' };

    it('wins over every permit, and the tool is not listed', () => {
      expect(
        engine.decide({ principal: developer, action: 'tools/call', resource: deleteTool, context: {} }),
      ).toEqual({
        decision: 'deny',
        policyIds: ['no-delete'],
        reason: 'forbidden by no-delete',
        errors: [],
      });
      expect(engine.listable({ principal: developer, resource: deleteTool, context: {} })).toBe(false);
    });

    it('that depends on arguments denies only those calls and leaves the tool listed', () => {
      const call = (a: unknown) =>
        engine.decide({
          principal: developer,
          action: 'tools/call',
          resource: add,
          context: { arguments: { a, b: 1 } },
        });
      expect(call(5).decision).toBe('allow');
      expect(call(5000)).toMatchObject({ decision: 'deny', policyIds: ['no-big-sums'] });
      expect(engine.listable({ principal: developer, resource: add, context: {} })).toBe(true);
    });

    it('that cannot be evaluated denies: an error never allows', () => {
      const answer = engine.decide({
        principal: developer,
        action: 'tools/call',
        resource: add,
        context: { arguments: { a: 'many' } },
      });
      expect(answer.decision).toBe('deny');
      expect(answer.policyIds).toEqual(['no-big-sums']);
      expect(answer.errors).toEqual([expect.stringContaining('no-big-sums: ')]);
    });
  });

  describe('conditions on time and client address', () => {
    const engine = engineWith(
      {
        'office-hours': `permit (principal, action == Gateway::Action::"tools/call", resource)
          when { context.hourOfDay >= 9 && context.hourOfDay < 17 && context.dayOfWeek <= 5
            && context.time < datetime("2030-01-01") };`,
        'office-network': `forbid (principal, action, resource)
          unless { context has clientAddress && context.clientAddress.isInRange(ip("10.0.0.0/8")) };`,
      },
      false,
    );
    const at = (iso: string, clientAddress?: string) =>
      engine.decide({
        principal: principal(),
        action: 'tools/call',
        resource: echo,
        context: { now: new Date(iso), ...(clientAddress ? { clientAddress } : {}) },
      });

    it('allows on a weekday in office hours from the office network only', () => {
      // 2026-11-18 is a Wednesday, 2026-11-21 a Saturday.
      expect(at('2026-11-18T10:00:00Z', '10.1.2.3')).toMatchObject({
        decision: 'allow',
        policyIds: ['office-hours'],
      });
      expect(at('2026-11-18T10:00:00Z', '::ffff:10.1.2.3').decision).toBe('allow');
      expect(at('2026-11-18T20:00:00Z', '10.1.2.3').decision).toBe('deny');
      expect(at('2026-11-21T10:00:00Z', '10.1.2.3').decision).toBe('deny');
      expect(at('2031-11-19T10:00:00Z', '10.1.2.3').decision).toBe('deny');
      expect(at('2026-11-18T10:00:00Z', '192.168.1.10')).toMatchObject({
        decision: 'deny',
        policyIds: ['office-network'],
      });
      expect(at('2026-11-18T10:00:00Z')).toMatchObject({ decision: 'deny', policyIds: ['office-network'] });
      expect(at('2026-11-18T10:00:00Z', 'not an address').decision).toBe('deny');
    });
  });

  it('decides by the default while the tenant has no policies, and refuses other tenants', () => {
    const open = new PolicyEngine(bundle('', 'allow'));
    const request = { principal: principal(), action: 'tools/call', resource: echo, context: {} };
    expect(open.decide(request)).toMatchObject({ decision: 'allow', policyIds: [] });
    expect(open.listable({ principal: principal(), resource: echo, context: {} })).toBe(true);
    expect(new PolicyEngine(bundle('', 'deny')).decide(request).decision).toBe('deny');
    expect(open.decide({ ...request, principal: principal({ tenant: 'other' }) }).decision).toBe('deny');
  });

  it('does not build from policies that do not parse', () => {
    expect(
      () => new PolicyEngine(bundle('@id("a")\npermit (principal, action, resource)\nwhen { 1 + };')),
    ).toThrow(PolicyCompilationError);
  });
});
