import { waitFor } from './wait-for';

describe('waitFor', () => {
  it('returns the first value the probe yields', async () => {
    let calls = 0;
    await expect(
      waitFor(() => (++calls >= 3 ? `after ${calls}` : undefined), { intervalMs: 1 }),
    ).resolves.toBe('after 3');
  });

  it('fails past the deadline, naming what it waited for and the last error', async () => {
    await expect(
      waitFor(
        () => {
          throw new Error('still down');
        },
        { timeoutMs: 20, intervalMs: 5, description: 'the broker' },
      ),
    ).rejects.toThrow('timed out after 20 ms waiting for the broker: still down');
  });
});
