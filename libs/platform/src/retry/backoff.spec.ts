import { backoffDelay } from './backoff';

const policy = { initialMs: 250, maxMs: 5_000 };
const noJitter = (): number => 0;

describe('backoffDelay', () => {
  it('doubles from the initial delay up to the cap', () => {
    const delays = [0, 1, 2, 3, 4, 5, 6, 50].map((attempt) => backoffDelay(attempt, policy, noJitter));
    expect(delays).toEqual([250, 500, 1_000, 2_000, 4_000, 5_000, 5_000, 5_000]);
  });

  it('takes off at most a fifth as jitter', () => {
    expect(backoffDelay(10, policy, () => 0.999_999)).toBe(4_000);
    expect(backoffDelay(0, policy, () => 0.5)).toBe(225);
  });
});
