/**
 * Long polling without holding anything but a timer: a ReceiveMessage that found nothing arms a
 * wake-up for its queue before it looks, then sleeps until a send (or a visibility change) on this
 * node wakes it, a bounded re-check interval passes (so sends on other nodes and messages whose
 * delay ends are seen too), or the server stops.
 */
export interface Wakeup {
  /** Resolves when woken, after `ms`, or at stop — whichever comes first. */
  wait(ms: number): Promise<void>;
  cancel(): void;
}

export class LongPolls {
  private readonly waiting = new Map<number, Set<() => void>>();
  private stopped = false;
  private resets = 0;

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Changes with every reset: a poll that began before one must not take the new state's messages. */
  get generation(): number {
    return this.resets;
  }

  /** Registers interest in `queueId` now, so a send between the look and the wait is not missed. */
  arm(queueId: number): Wakeup {
    let wake!: () => void;
    let timer: NodeJS.Timeout | undefined;
    const woken = new Promise<void>((resolve) => (wake = resolve));
    const set = this.waiting.get(queueId) ?? new Set();
    this.waiting.set(queueId, set);
    const done = () => {
      clearTimeout(timer);
      set.delete(done);
      if (set.size === 0 && this.waiting.get(queueId) === set) this.waiting.delete(queueId);
      wake();
    };
    set.add(done);
    if (this.stopped) done();
    return {
      wait: (ms) => {
        timer = setTimeout(done, Math.max(0, ms));
        return woken;
      },
      cancel: done,
    };
  }

  notify(queueId: number): void {
    const set = this.waiting.get(queueId);
    if (set) for (const wake of [...set]) wake();
  }

  /** Wakes every wait to look again (Stratus's time jumped: delays and visibility timeouts may have ended). */
  notifyAll(): void {
    for (const set of [...this.waiting.values()]) for (const wake of [...set]) wake();
  }

  /** Ends every wait at once; later arms resolve immediately. */
  stop(): void {
    this.stopped = true;
    this.notifyAll();
  }

  /**
   * Stratus's state was wiped or replaced: every wait ends, and `generation` tells the polls that
   * began before (a new queue may now have their queue's id) to answer empty.
   */
  reset(): void {
    this.resets++;
    this.notifyAll();
  }
}
