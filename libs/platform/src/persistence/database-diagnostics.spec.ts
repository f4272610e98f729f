import { describeError, redactUrl } from './database-diagnostics';

describe('redactUrl', () => {
  it('hides the password and keeps the rest', () => {
    expect(redactUrl('postgres://gateway:s3cret@db:5432/gateway')).toBe(
      'postgres://gateway:***@db:5432/gateway',
    );
    expect(redactUrl('postgres://postgres:postgres@localhost:5432/postgres?host=%2Ftmp%2Fx')).toBe(
      'postgres://postgres:***@localhost:5432/postgres?host=%2Ftmp%2Fx',
    );
    expect(redactUrl('postgres://db/gateway')).toBe('postgres://db/gateway');
  });
});

describe('describeError', () => {
  it('lists the causes of an AggregateError, whose own message is empty', () => {
    const refused = Object.assign(new Error(''), { code: 'ECONNREFUSED' });
    expect(describeError(new AggregateError([refused, new Error('timeout')]))).toBe('ECONNREFUSED; timeout');
  });
});
