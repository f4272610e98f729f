import { KeyedMutex } from './keyed-mutex';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

describe('KeyedMutex', () => {
  it('runs work on the same key one at a time, in arrival order', async () => {
    const mutex = new KeyedMutex();
    const events: string[] = [];
    const gate = deferred();
    const first = mutex.runExclusive('db', async () => {
      events.push('first:start');
      await gate.promise;
      events.push('first:end');
    });
    const second = mutex.runExclusive('db', async () => {
      events.push('second');
      return 2;
    });
    await Promise.resolve();
    expect(events).toEqual(['first:start']);
    gate.resolve();
    await expect(second).resolves.toBe(2);
    await first;
    expect(events).toEqual(['first:start', 'first:end', 'second']);
    expect(mutex.activeKeys).toBe(0);
  });

  it('lets different keys run at the same time', async () => {
    const mutex = new KeyedMutex();
    const gate = deferred();
    const held = mutex.runExclusive('a', () => gate.promise);
    await expect(mutex.runExclusive('b', () => Promise.resolve('b'))).resolves.toBe('b');
    gate.resolve();
    await held;
  });

  it('releases the key when the work fails', async () => {
    const mutex = new KeyedMutex();
    await expect(mutex.runExclusive('db', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(mutex.runExclusive('db', () => Promise.resolve('next'))).resolves.toBe('next');
    expect(mutex.activeKeys).toBe(0);
  });
});
