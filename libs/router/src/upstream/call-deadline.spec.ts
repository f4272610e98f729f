import { CallDeadline } from './call-deadline';

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

describe('CallDeadline', () => {
  it('aborts when no progress restarts it in time', () => {
    const deadline = new CallDeadline(100);
    jest.advanceTimersByTime(90);
    deadline.restart();
    jest.advanceTimersByTime(90);
    expect(deadline.signal.aborted).toBe(false);
    jest.advanceTimersByTime(20);
    expect(deadline.signal.aborted).toBe(true);
    expect(deadline.expired).toBe(true);
  });

  it('aborts with the caller’s signal, without counting as expired', () => {
    const caller = new AbortController();
    const deadline = new CallDeadline(100, caller.signal);
    caller.abort();
    expect(deadline.signal.aborted).toBe(true);
    expect(deadline.expired).toBe(false);
    deadline.dispose();
  });
});
