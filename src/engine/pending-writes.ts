/**
 * Writes that one service makes after answering its caller (Lambda delivers a function's log to
 * CloudWatch Logs after the Invoke returns), which another service's reads wait for: a read that
 * begins after such a write was queued on this node sees it, as a client that reads the log right
 * after its Invoke expects. Writes are grouped by the resource kind they touch (`logs`).
 *
 * A write may be held back to gather more into one commit; its `expedite` lets a read that is
 * waiting for it start it now, so gathering costs the writer nothing and the reader no delay.
 */
export class PendingWrites {
  private readonly pending = new Map<string, Map<Promise<unknown>, (() => void) | undefined>>();

  /** Registers a write under way (or queued) until it settles; `expedite` starts a queued one at once. */
  track(kind: string, write: Promise<unknown>, expedite?: () => void): void {
    let writes = this.pending.get(kind);
    if (!writes) this.pending.set(kind, (writes = new Map()));
    writes.set(write, expedite);
    const forget = () => {
      writes.delete(write);
      if (writes.size === 0 && this.pending.get(kind) === writes) this.pending.delete(kind);
    };
    write.then(forget, forget);
  }

  /** Resolves once every write of `kind` registered so far has settled, whatever its outcome. */
  async settled(kind: string): Promise<void> {
    const writes = this.pending.get(kind);
    if (!writes) return;
    const waited = [...writes];
    for (const [, expedite] of waited) expedite?.();
    await Promise.allSettled(waited.map(([write]) => write));
  }
}
