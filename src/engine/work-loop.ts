/**
 * The loop a work-queue worker runs: claim a batch, start each item on its own, claim again at
 * once while there is work, and sleep while there is none — until new work wakes it or the idle
 * poll comes round (work queued by another node, or retries coming due, only the poll finds).
 */
import type { WorkItem } from '../storage/work-queue.js';
import type { Clock } from './clock.js';

export interface WorkLoopOptions<P> {
  /** Leases the next batch (WorkQueue.claim with the worker's owner, lease and batch size). */
  claim(): Promise<WorkItem<P>[]>;
  /** Does one item; must settle its lease (complete or retry) or leave it to expire. */
  handle(item: WorkItem<P>): Promise<void>;
  /** A failed claim (the store was busy or gone); the loop sleeps and tries again. */
  claimFailed(err: unknown): void;
  idlePollMs: number;
  /** Stratus's time: when it jumps (`stratus time advance`), items may have fallen due, so look at once. */
  clock: Clock;
  /**
   * After a batch, wait for its items (or the idle poll) before claiming more, so one node does
   * not lease far more than it is working on (SNS deliveries). Default: claim again at once.
   */
  paceBatches?: boolean;
  /**
   * Whether `stop` waits for the items in hand (default true). Lambda's invocations may run for
   * minutes; they end with the execution engine instead, and their leases bring them back.
   */
  waitForItemsOnStop?: boolean;
}

export class WorkLoop<P> {
  private running = false;
  private wakeUp: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly options: WorkLoopOptions<P>) {}

  start(): void {
    this.running = true;
    this.unsubscribe = this.options.clock.onJump(() => this.wake());
    this.loop = this.run();
  }

  /** New work was queued: stop sleeping. */
  wake(): void {
    this.wakeUp?.();
  }

  /** Stops claiming and (unless told otherwise) waits for the items in hand to finish. */
  async stop(): Promise<void> {
    this.running = false;
    this.unsubscribe?.();
    this.wake();
    await this.loop;
    if (this.options.waitForItemsOnStop ?? true) await Promise.allSettled([...this.inFlight]);
  }

  private async run(): Promise<void> {
    while (this.running) {
      let items: WorkItem<P>[] = [];
      try {
        items = await this.options.claim();
      } catch (err) {
        this.options.claimFailed(err);
      }
      for (const item of items) {
        const done = this.options.handle(item).finally(() => this.inFlight.delete(done));
        this.inFlight.add(done);
      }
      if (items.length === 0) await this.sleep(this.options.idlePollMs);
      else if (this.options.paceBatches) {
        await Promise.race([Promise.allSettled([...this.inFlight]), this.sleep(this.options.idlePollMs)]);
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref();
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
  }
}
