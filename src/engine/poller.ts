/**
 * A task run every `intervalMs` of the host's time (a poll interval must go on while Stratus's
 * clock is frozen), never twice at once: `runNow` joins the run under way rather than start
 * another, and `stop` waits for it. A run that fails is reported and the next one tries again.
 */
export class Poller {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly task: () => Promise<void>,
    private readonly intervalMs: number,
    private readonly failed: (err: unknown) => void,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.runNow().catch(this.failed), this.intervalMs);
    this.timer.unref();
  }

  /** Runs the task now, or joins the run under way; rejects when that run fails. */
  runNow(): Promise<void> {
    this.running ??= this.task().finally(() => (this.running = undefined));
    return this.running;
  }

  /**
   * Runs the task once the run under way has ended (it may have looked too early — before a
   * clock jump), or now when none is; calls made meanwhile share that one run.
   */
  runAgain(): Promise<void> {
    const underWay = this.running;
    if (!underWay) return this.runNow();
    return underWay.catch(() => undefined).then(() => this.runNow());
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }
}
