export interface WaitOptions {
  readonly timeoutMs?: number;
  readonly intervalMs?: number;
  /** What is awaited, for the timeout message. */
  readonly description?: string;
  /** What was seen instead, added to the timeout message. */
  readonly onTimeout?: () => string;
}

/**
 * Polls until `probe` returns a value other than undefined/false, and returns it; fails with the
 * description and the last error once the deadline passes. Tests wait for conditions, never sleep.
 */
export async function waitFor<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  options: WaitOptions = {},
): Promise<T> {
  const { timeoutMs = 30_000, intervalMs = 100, description = 'condition' } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const reason = lastError instanceof Error ? `: ${lastError.message}` : '';
      const seen = options.onTimeout ? `; ${options.onTimeout()}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}${reason}${seen}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
