import { runBounded, runClosedLoop, SideMeasurement } from './load-phase';

describe('runClosedLoop', () => {
  it('counts only operations started after the warm-up, and errors apart from throughput', async () => {
    const measured = new SideMeasurement();
    let calls = 0;
    await runClosedLoop(
      2,
      async () => {
        calls += 1;
        await new Promise((resolve) => setImmediate(resolve));
        if (calls % 5 === 0) throw new Error('every fifth answer is wrong');
      },
      { warmupMs: 50, durationMs: 100 },
      measured,
    );
    const figures = measured.figures();
    expect(measured.attempts).toBe(calls);
    // Warm-up operations are attempts but neither completions nor errors.
    expect(figures.requests + figures.errors).toBeLessThan(calls);
    expect(figures.errors).toBeGreaterThan(0);
    expect(figures.error_samples).toEqual(['every fifth answer is wrong']);
    expect(figures.requests).toBeGreaterThan(figures.errors);
    // duration_s is rounded to 10 ms in the report.
    expect(Math.abs(figures.rps - figures.requests / figures.duration_s) / figures.rps).toBeLessThan(0.1);
    expect(figures.p50_ms).toBeLessThanOrEqual(figures.p99_ms);
  });
});

describe('runBounded', () => {
  it('runs every operation once, never more than the concurrency at a time', async () => {
    const measured = new SideMeasurement();
    const seen: number[] = [];
    let running = 0;
    let mostRunning = 0;
    await runBounded(
      20,
      3,
      async (index) => {
        running += 1;
        mostRunning = Math.max(mostRunning, running);
        await new Promise((resolve) => setImmediate(resolve));
        running -= 1;
        seen.push(index);
        if (index === 7) throw new Error('seven fails');
      },
      measured,
    );
    expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, index) => index));
    expect(mostRunning).toBe(3);
    expect(measured.figures()).toMatchObject({ requests: 19, errors: 1 });
  });
});
