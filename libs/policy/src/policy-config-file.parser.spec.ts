import { ConfigError } from '@gateway/platform';
import { parsePolicyConfigFile } from './policy-config-file.parser';

function problemsOf(text: string): readonly string[] {
  try {
    parsePolicyConfigFile(text, 'policies.yaml');
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('POLICY_CONFIG_FILE', () => {
  it('reads policies, rate limits and guardrails per tenant', () => {
    const declared = parsePolicyConfigFile(
      [
        'tenants:',
        '  acme:',
        '    policies:',
        '      echo-hello: |',
        '        permit (principal, action == Gateway::Action::"tools/call", resource)',
        '        when { context.arguments.message like "hello*" };',
        '    rateLimits:',
        '      - { id: per-agent, per: [agent], capacity: 5, refillPerSecond: 1 }',
        '    guardrails:',
        '      masking: { detectors: [secrets], arguments: true, results: false }',
        '  default: {}',
      ].join('\n'),
      'policies.yaml',
    );
    expect(declared).toEqual([
      {
        tenant: 'acme',
        policies: {
          'echo-hello':
            'permit (principal, action == Gateway::Action::"tools/call", resource)\nwhen { context.arguments.message like "hello*" };\n',
        },
        rateLimits: [{ id: 'per-agent', per: ['agent'], capacity: 5, refillPerSecond: 1 }],
        guardrails: { masking: { detectors: ['secrets'], arguments: true, results: false } },
      },
      { tenant: 'default', policies: {} },
    ]);
  });

  it('stops at a bad policy, naming the file, the policy, and its line and column in the file', () => {
    const text = [
      'tenants:',
      '  acme:',
      '    policies:',
      '      tenant-only: |',
      '        permit (principal, action, resource)',
      '        when { principal.tenatn == "acme" };',
      '      inline: "permit (principal, action, resource) when { 1 + };"',
    ].join('\n');
    expect(() => parsePolicyConfigFile(text, 'policies.yaml')).toThrow(
      /Invalid configuration in policies\.yaml/,
    );
    expect(problemsOf(text)).toEqual([
      expect.stringMatching(
        /^tenants\.acme\.policies\.tenant-only: policy tenant-only, line 6, column 16: attribute `tenatn`/,
      ),
      expect.stringMatching(
        /^tenants\.acme\.policies\.inline: policy inline, line 1, column 49 of the policy: unexpected token `}`/,
      ),
    ]);
  });

  it('names unknown keys, bad tenant names and rate limit rules', () => {
    expect(
      problemsOf(
        'tenants:\n  Acme: {}\n  ok:\n    rateLimits: [{ id: a, per: [], capacity: 0, refillPerSecond: 1 }]\n    extra: 1',
      ),
    ).toEqual([
      expect.stringMatching(/^tenants\.Acme: /),
      expect.stringMatching(/^tenants\.ok\.rateLimits\.0\.capacity: /),
      'tenants.ok: Unrecognized key: "extra"',
    ]);
  });
});
