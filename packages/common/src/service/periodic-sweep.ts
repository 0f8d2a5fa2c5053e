import { logger } from '../observability/logger.js';

/**
 * Runs `sweep` at start, then every `intervalMs`, and whenever `trigger()` asks, never two at
 * once: a trigger during a sweep runs one more right after it (however many triggers came). A
 * failed sweep is logged with `what` and tried again at the next turn. `stop()` ends the turns
 * and waits for a sweep in progress; `stopped` lets a long sweep end early.
 *
 * The shape of the sweeps that rebuild a scheduler from the database (expiration's expiries,
 * notifications' reminders).
 */
export class PeriodicSweep {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private halted = false;

  constructor(
    private readonly what: string,
    private readonly intervalMs: number,
    private readonly sweep: () => Promise<unknown>,
  ) {}

  get stopped(): boolean {
    return this.halted;
  }

  start(): void {
    this.timer = setInterval(() => this.trigger(), this.intervalMs);
    this.timer.unref();
    this.trigger();
  }

  /** Asks for a sweep now (or right after the one in progress). */
  trigger(): void {
    if (this.halted) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.sweep()
      .then(() => undefined)
      .catch((error: unknown) => logger.warn({ err: error }, `${this.what} failed; will retry`))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.trigger();
        }
      });
  }

  /** Stops sweeping and waits for a sweep in progress. */
  async stop(): Promise<void> {
    this.halted = true;
    clearInterval(this.timer);
    while (this.running) await this.running;
  }
}
