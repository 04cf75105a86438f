/**
 * A FIFO async lock. The SQLite store has one connection, so a transaction whose callback awaits
 * must keep every other caller's statements off that connection until it commits or rolls back.
 */
export class AsyncMutex {
  private held = false;
  private readonly waiters: Array<() => void> = [];

  get isHeld(): boolean {
    return this.held;
  }

  acquire(): Promise<void> {
    if (!this.held) {
      this.held = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Hands the lock straight to the next waiter, so nobody can slip in between. */
  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.held = false;
  }
}
