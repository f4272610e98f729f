import type { Logger } from '../observability/logger';
import { errorMessage } from '../retry/backoff';

/**
 * Logs a retry loop's failures without flooding: a warning for the first failure, when the
 * error changes, or every `repeatWarningMs` while it persists (debug in between), and one
 * info line when the loop recovers. A broker outage would otherwise log several lines a second.
 */
export class FailureReporter {
  private consecutiveFailures = 0;
  private lastWarnedMessage: string | undefined;
  private lastWarnedAt = 0;
  private lastErrorText: string | undefined;

  constructor(
    private readonly logger: Logger,
    private readonly activity: string,
    private readonly repeatWarningMs = 30_000,
  ) {}

  failed(error: unknown, retryInMs: number, fields: Record<string, unknown> = {}): void {
    this.consecutiveFailures += 1;
    const text = errorMessage(error);
    this.lastErrorText = text;
    const now = Date.now();
    const line = { ...fields, err: text, failures: this.consecutiveFailures, retryInMs };
    if (text !== this.lastWarnedMessage || now - this.lastWarnedAt >= this.repeatWarningMs) {
      this.lastWarnedMessage = text;
      this.lastWarnedAt = now;
      this.logger.warn(line, `${this.activity} failed; retrying`);
    } else {
      this.logger.debug(line, `${this.activity} failed again; retrying`);
    }
  }

  succeeded(fields: Record<string, unknown> = {}): void {
    if (this.consecutiveFailures > 0) {
      this.logger.info({ ...fields, failures: this.consecutiveFailures }, `${this.activity} recovered`);
    }
    this.consecutiveFailures = 0;
    this.lastWarnedMessage = undefined;
    this.lastErrorText = undefined;
  }

  /** The error of the current failure streak, for health details. */
  get lastError(): string | undefined {
    return this.lastErrorText;
  }

  get failures(): number {
    return this.consecutiveFailures;
  }
}
