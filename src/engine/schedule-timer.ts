/**
 * Fires stored schedules on Stratus's clock, for any service that keeps a "next due time" in its
 * rows (EventBridge's scheduled rules, EventBridge Scheduler's schedules). The timer holds no
 * state of its own: the source fires what is due — advancing each due time with a conditional
 * update in the transaction that writes the work, so that of two nodes, or a node and its
 * restarted self, only one fires a given time — and tells the earliest time still pending, which
 * the timer waits for on the clock. A host-time poll picks up schedules other nodes changed.
 */
import type { Clock, Timer } from './clock.js';
import { Poller } from './poller.js';

export interface ScheduleSource {
  /** Fires every schedule due at `now` (each once), in as many transactions as it likes. */
  fireDue(now: number): Promise<void>;
  /** The earliest pending due time, if any. */
  earliestDue(): Promise<number | undefined>;
}

export class ScheduleTimer {
  private readonly poller: Poller;
  private timer: Timer | undefined;
  private unsubscribe: (() => void) | undefined;
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly source: ScheduleSource,
    pollMs: number,
    private readonly failed: (err: unknown) => void,
  ) {
    this.poller = new Poller(() => this.run(), pollMs, failed);
  }

  start(): void {
    this.poller.start();
    this.unsubscribe = this.clock.onJump(() => this.wake());
    this.wake();
  }

  /** A schedule changed (or time jumped): look again once the run under way, if any, ends. */
  wake(): void {
    if (!this.stopped) this.poller.runAgain().catch(this.failed);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    this.timer?.cancel();
    await this.poller.stop();
  }

  private async run(): Promise<void> {
    if (this.stopped) return;
    await this.source.fireDue(this.clock.now());
    const earliest = await this.source.earliestDue();
    this.timer?.cancel();
    this.timer = undefined;
    // A time already due that this run could not fire is another node's to fire: the poll looks
    // again rather than spin.
    if (earliest !== undefined && earliest > this.clock.now() && !this.stopped) {
      this.timer = this.clock.at(earliest, () => this.wake());
    }
  }
}
