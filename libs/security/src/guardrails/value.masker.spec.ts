import { createHmac, generateKeyPairSync, randomBytes } from 'node:crypto';
import type { GuardrailSettings } from '@gateway/contracts';
import { passesLuhn } from './masking.detectors';
import { maskingFor, maskValue } from './value.masker';

const secret = (text: string): string => maskValue(text, ['secrets']).value as string;

/** A real HS256 JWT, signed here. */
function signedJwt(): string {
  const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const body = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub: 'agent:build-bot', exp: 1_900_000_000 })}`;
  return `${body}.${createHmac('sha256', randomBytes(32)).update(body).digest('base64url')}`;
}

describe('maskValue: secrets', () => {
  it.each([
    ['an AWS access key id', 'AKIAIOSFODNN7EXAMPLE'],
    ['a GitHub personal token', `ghp_${'a1B2c3D4e5'.repeat(3)}abcdef`],
    ['a GitHub OAuth token', `gho_${'Z9y8X7w6V5'.repeat(4)}`],
    ['a GitHub app token', `ghs_${'0123456789'.repeat(4)}`],
    ['a GitHub user-to-server token', `ghu_${'abcdefghij'.repeat(4)}`],
    ['a fine-grained GitHub token', `github_pat_11ABCDEFG0123456789_${'x'.repeat(59)}`],
    ['a Slack bot token', 'xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx'],
    ['a Slack user token', 'xoxp-1234567890-1234567890-abcdefabcdef'],
    ['a Stripe secret key', `sk_live_${'4eC39HqLyjWDarjtT1zdp7dc'}`],
    ['a Stripe restricted key', `rk_live_${'51H8aBcDeFgHiJkLmNoPq'}`],
    ['an OpenAI key', `sk-${'T3BlbkFJ'.repeat(6)}`],
    ['an OpenAI project key', `sk-proj-${'a_B-c9'.repeat(10)}`],
    ['an Anthropic key', `sk-ant-api03-${'Xy_9-'.repeat(18)}AA`],
    ['a Google API key', 'AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe'],
    ['a gateway API key', `mgw_${randomBytes(32).toString('base64url')}`],
  ])('masks %s wherever it sits in the text', (_name, token) => {
    const { value, findings } = maskValue(`the key is ${token}, keep it safe`, ['secrets']);
    expect(value).toBe('the key is [masked:secrets], keep it safe');
    expect(findings).toEqual([{ detector: 'secrets', path: '', count: 1 }]);
  });

  it('masks a signed JWT, and a Bearer token in a header line', () => {
    const jwt = signedJwt();
    expect(secret(`token ${jwt}`)).toBe('token [masked:secrets]');
    expect(secret('Authorization: Bearer 8f14e45fceea167a5a36dedd4bea2543')).toBe(
      'Authorization: Bearer [masked:secrets]',
    );
  });

  it('masks a whole PEM private key block', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(secret(`key:\n${pem}\nthat was it`)).toBe('key:\n[masked:secrets]\n\nthat was it');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    const traditional = rsa.export({ format: 'pem', type: 'pkcs1' }).toString();
    expect(traditional).toContain('BEGIN RSA PRIVATE KEY');
    expect(secret(traditional)).toBe('[masked:secrets]\n');
  });

  it('masks the value of password, secret, token and api_key assignments and keeps the name', () => {
    expect(secret('DB_PASSWORD=hunter2 and client_secret: "s3cr3t-value"')).toBe(
      'DB_PASSWORD=[masked:secrets] and client_secret: "[masked:secrets]"',
    );
    expect(secret('{"api_key": "abc123xyz"}')).toBe('{"api_key": "[masked:secrets]"}');
    expect(secret('GITHUB_TOKEN = 12345678')).toBe('GITHUB_TOKEN = [masked:secrets]');
  });

  it('counts a token once even when an assignment names it', () => {
    const token = `ghp_${'Q'.repeat(36)}`;
    expect(maskValue(`token=${token}`, ['secrets'])).toEqual({
      value: 'token=[masked:secrets]',
      findings: [{ detector: 'secrets', path: '', count: 1 }],
    });
  });

  it('leaves prose about tokens and ordinary identifiers alone', () => {
    for (const text of [
      'Use a Bearer token in the Authorization header',
      'max_tokens: 1024 and the token count',
      'sk-short',
      'The skeleton key is a metaphor',
      'commit 9fceb02d0ae598e95dc970b74767f19372d61af8',
      'See https://docs.example.com/api-keys for how to create one',
      'token: null, password = false',
    ]) {
      expect(maskValue(text, ['secrets'])).toEqual({ value: text, findings: [] });
    }
  });
});

describe('maskValue: email, phone and card', () => {
  it('masks email addresses', () => {
    expect(maskValue('write to jane.doe+work@mail.example.co.uk or ops@example.com', ['email'])).toEqual({
      value: 'write to [masked:email] or [masked:email]',
      findings: [{ detector: 'email', path: '', count: 2 }],
    });
  });

  it.each([
    ['+14155552671'],
    ['+44 20 7946 0958'],
    ['+1 (415) 555-2671'],
    ['+33 6 12 34 56 78'],
    ['(415) 555-2671'],
    ['415-555-2671'],
    ['415.555.2671'],
    ['020 7946 0958'],
    ['06 12 34 56 78'],
    ['(030) 1234567'],
    ['+7 (495) 123-45-67'],
    ['555 123 4567'],
  ])('masks the phone number %s', (phone) => {
    expect(maskValue(`call ${phone} today`, ['phone']).value).toBe('call [masked:phone] today');
    expect(maskValue(`call (${phone})`, ['phone']).value).toBe('call ([masked:phone])');
  });

  it.each([
    ['a date', 'released 2024-01-15'],
    ['a date and time', 'at 2024-01-15 10:30:00'],
    ['a day-first date', 'on 15.01.2024'],
    ['a version', 'version 10.20.30'],
    ['an IPv4 address', 'host 192.168.100.200'],
    ['a plain numeric id', 'order 4155552671'],
    ['a UUID', 'id 123e4567-e89b-12d3-a456-426614174000'],
    ['a short local number', 'ext. 555-1234'],
    ['an amount', 'total 1 000 000'],
    ['a year range', 'from 1999-2000-2001'],
    ['port ranges', 'ports 8080-8090-9000'],
    ['a list of small numbers', 'ids 11 22 33 44 55 66'],
    ['an ISBN', 'ISBN 978-3-16-148410-0'],
    ['a number starting with 0 and no separators', 'code 0123456789'],
  ])('leaves %s alone', (_name, text) => {
    expect(maskValue(text, ['phone'])).toEqual({ value: text, findings: [] });
  });

  it.each([
    ['4111111111111111'],
    ['4111 1111 1111 1111'],
    ['5555-5555-5555-4444'],
    ['378282246310005'],
    ['6011 0009 9013 9424'],
    ['4222222222222'],
  ])('masks the card number %s, which passes Luhn', (card) => {
    expect(maskValue(`paid with ${card}.`, ['card'])).toEqual({
      value: 'paid with [masked:card].',
      findings: [{ detector: 'card', path: '', count: 1 }],
    });
  });

  it('leaves digit runs that fail Luhn, and timestamps, alone', () => {
    for (const text of ['4111 1111 1111 1112', 'card 5555555555554445', 'at 1763700000005 ms']) {
      expect(passesLuhn(text.replace(/\D/g, ''))).toBe(text.includes('1763700000005'));
      expect(maskValue(text, ['card', 'phone'])).toEqual({ value: text, findings: [] });
    }
  });

  it('computes Luhn both ways', () => {
    expect(passesLuhn('79927398713')).toBe(true);
    expect(passesLuhn('79927398710')).toBe(false);
  });
});

describe('maskValue over JSON values', () => {
  it('walks objects and arrays, masks strings only, keeps keys, and names each path', () => {
    const result = {
      content: [
        { type: 'text', text: 'mail bob@example.com, card 4111 1111 1111 1111' },
        { type: 'text', text: 'nothing here' },
      ],
      structuredContent: { 'jane@example.com': 'owner', contact: { 'phone number': '+14155552671' } },
      isError: false,
      count: 4111111111111111,
    };
    const { value, findings } = maskValue(result, ['email', 'phone', 'card']);
    expect(value).toEqual({
      content: [
        { type: 'text', text: 'mail [masked:email], card [masked:card]' },
        { type: 'text', text: 'nothing here' },
      ],
      structuredContent: { 'jane@example.com': 'owner', contact: { 'phone number': '[masked:phone]' } },
      isError: false,
      count: 4111111111111111,
    });
    expect(findings).toEqual([
      { detector: 'card', path: 'content[0].text', count: 1 },
      { detector: 'email', path: 'content[0].text', count: 1 },
      { detector: 'phone', path: 'structuredContent.contact["phone number"]', count: 1 },
    ]);
    expect(result.content[0]!.text).toBe('mail bob@example.com, card 4111 1111 1111 1111');
    const unchanged = (value as typeof result).content[1];
    expect(unchanged).toBe(result.content[1]);
  });

  it('applies only the detectors asked for, and does nothing without any', () => {
    const input = { text: 'bob@example.com 4111111111111111' };
    expect(maskValue(input, ['card']).value).toEqual({ text: 'bob@example.com [masked:card]' });
    const none = maskValue(input, []);
    expect(none.value).toBe(input);
    expect(none.findings).toEqual([]);
  });
});

describe('maskingFor', () => {
  const settings: GuardrailSettings = {
    masking: { detectors: ['secrets'], arguments: true, results: true },
    servers: {
      crm: { detectors: ['email', 'phone'], arguments: false, results: true },
      internal: null,
    },
  };

  it("takes the server's own entry, null for none, else the tenant default", () => {
    expect(maskingFor(settings, 'crm')).toEqual({
      detectors: ['email', 'phone'],
      arguments: false,
      results: true,
    });
    expect(maskingFor(settings, 'internal')).toBeUndefined();
    expect(maskingFor(settings, 'github')).toEqual(settings.masking);
    expect(maskingFor(settings, 'constructor')).toEqual(settings.masking);
    expect(maskingFor({ servers: { crm: null } }, 'github')).toBeUndefined();
    expect(maskingFor(undefined, 'crm')).toBeUndefined();
  });
});
