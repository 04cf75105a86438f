/**
 * Writes that one service makes after answering its caller (Lambda delivers a function's log to
 * CloudWatch Logs after the Invoke returns), which another service's reads wait for: a read that
 * begins after such a write was queued on this node sees it, as a client that reads the log right
 * after its Invoke expects. Writes are grouped by the resource kind they touch (`logs`).
 */
export class PendingWrites {
  private readonly pending = new Map<string, Set<Promise<unknown>>>();

  /** Registers a write under way (or queued) until it settles. */
  track(kind: string, write: Promise<unknown>): void {
    let writes = this.pending.get(kind);
    if (!writes) this.pending.set(kind, (writes = new Set()));
    writes.add(write);
    const forget = () => {
      writes.delete(write);
      if (writes.size === 0 && this.pending.get(kind) === writes) this.pending.delete(kind);
    };
    write.then(forget, forget);
  }

  /** Resolves once every write of `kind` registered so far has settled, whatever its outcome. */
  async settled(kind: string): Promise<void> {
    const writes = this.pending.get(kind);
    if (writes) await Promise.allSettled([...writes]);
  }
}
