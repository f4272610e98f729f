import { assignPolicyIds } from './policy-source.parser';
import { validatePolicies } from './policy.validator';

describe('validatePolicies', () => {
  it('accepts the role policies and policies that test tool arguments', () => {
    expect(
      validatePolicies(`@id("echo-hello")
permit (principal in Gateway::Role::"developer", action == Gateway::Action::"tools/call", resource == Gateway::Tool::"everything/echo")
when { context.arguments.message like "hello*" && context.arguments has count && context["arguments"].count > 2 };
forbid (principal, action in Gateway::Action::"use", resource in Gateway::Server::"danger")
unless { context.hourOfDay >= 9 && context has clientAddress && context.clientAddress.isInRange(ip("10.0.0.0/8")) };`),
    ).toEqual({ ok: true });
    expect(validatePolicies('')).toEqual({ ok: true });
  });

  it('reports a misspelt attribute on line 3 with its column and policy id', () => {
    const source = [
      '@id("tenant-only")',
      'permit (principal, action == Gateway::Action::"tools/call", resource)',
      'when { principal.tenatn == "default" };',
    ].join('\n');
    expect(validatePolicies(source)).toEqual({
      ok: false,
      errors: [
        {
          policyId: 'tenant-only',
          message: expect.stringMatching(
            /attribute `tenatn` on entity type `Gateway::\w+` not found; did you mean `tenant`\?/,
          ),
          line: 3,
          column: 8,
        },
      ],
    });
  });

  it('reports a syntax error on line 3, counting columns in characters', () => {
    const source = '// naïve café ☕\npermit (principal, action, resource)\nwhen { context.hourOfDay >= };';
    const outcome = validatePolicies(source);
    expect(outcome).toEqual({
      ok: false,
      errors: [{ message: expect.stringContaining('unexpected token `}`'), line: 3, column: 29 }],
    });
  });

  it('names the policy of each error when the text holds several, and checks actions and entity types', () => {
    const source = [
      '@id("first")',
      'permit (principal, action, resource);',
      '@id("second")',
      'permit (principal, action == Gateway::Action::"tools/cal", resource);',
      '@id("third")',
      'permit (principal in Gateway::Group::"x", action, resource);',
    ].join('\n');
    const outcome = validatePolicies(source);
    expect(outcome.ok).toBe(false);
    expect(
      !outcome.ok && outcome.errors.map(({ policyId, line, column }) => [policyId, line, column]),
    ).toEqual([
      ['second', 4, 30],
      ['third', 6, 22],
    ]);
  });

  it('names the policies by the ids they will be stored under', () => {
    const source =
      'permit (principal, action, resource);\n@id("own")\nforbid (principal, action, resource)\nwhen { context.hourOfDay > "9" };';
    expect(validatePolicies(source, undefined, { storedAs: 'pair' })).toEqual({
      ok: false,
      errors: [
        { policyId: 'pair#2', message: 'unexpected type: expected Long but saw String', line: 4, column: 28 },
      ],
    });
  });

  it('refuses an id given twice and templates', () => {
    const twice = validatePolicies(
      '@id("a")\npermit (principal, action, resource);\n@id("a")\nforbid (principal, action, resource);',
    );
    expect(twice).toEqual({
      ok: false,
      errors: [{ policyId: 'a', message: 'the policy id "a" is used twice', line: 3, column: 1 }],
    });
    const template = validatePolicies(
      'permit (principal, action, resource);\npermit (principal == ?principal, action, resource);',
    );
    expect(template).toEqual({
      ok: false,
      errors: [
        {
          message: 'templates (policies with ?principal or ?resource slots) are not supported',
          line: 2,
          column: 1,
        },
      ],
    });
  });
});

describe('assignPolicyIds', () => {
  it('gives one policy the id, several policies numbered ids, replacing any @id of their own', () => {
    const single = assignPolicyIds('@id("mine") permit (principal, action, resource);', 'allow-all');
    expect(single).toEqual({
      ok: true,
      policies: [{ id: 'allow-all', text: '@id("allow-all")\npermit(principal, action, resource);' }],
    });
    const several = assignPolicyIds(
      'permit (principal, action, resource);\n// the second\nforbid (principal, action, resource) when { context.hourOfDay > 20 };',
      'pair',
    );
    expect(several.ok && several.policies.map((policy) => policy.id)).toEqual(['pair#1', 'pair#2']);
    expect(several.ok && validatePolicies(several.policies.map((policy) => policy.text).join('\n'))).toEqual({
      ok: true,
    });
  });

  it('fails with positions when the text does not parse', () => {
    expect(assignPolicyIds('permit (principal, action, resource)\nwhen { true', 'broken')).toEqual({
      ok: false,
      errors: [expect.objectContaining({ line: 2 })],
    });
  });
});
