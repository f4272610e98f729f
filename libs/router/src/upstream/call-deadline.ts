/** The longest delay a Node.js timer takes (a larger one fires at once). */
export const longestTimerMs = 2_147_483_647;

/**
 * The deadline of one upstream call, restarted by each progress notification: when it passes,
 * its signal aborts (the SDK then sends notifications/cancelled, or closes the request's stream on
 * 2026-07-28 HTTP). Also aborts when the caller's own signal does.
 */
export class CallDeadline {
  readonly signal: AbortSignal;
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout;
  private passed = false;

  constructor(
    private readonly ms: number,
    caller?: AbortSignal,
  ) {
    this.timer = setTimeout(() => this.expire(), ms);
    this.signal = caller ? AbortSignal.any([caller, this.controller.signal]) : this.controller.signal;
  }

  get expired(): boolean {
    return this.passed;
  }

  restart(): void {
    if (this.passed) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.expire(), this.ms);
  }

  dispose(): void {
    clearTimeout(this.timer);
  }

  private expire(): void {
    this.passed = true;
    this.controller.abort(new Error(`no answer within ${this.ms} ms`));
  }
}
