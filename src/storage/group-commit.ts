/**
 * Group commit: units of work submitted during one turn of the event loop run in one transaction,
 * so concurrent small writes share one commit (on SQLite the commit — the WAL write — costs more
 * than a small insert). If the shared transaction fails, each unit runs again in a transaction of
 * its own, so a unit's error reaches that unit alone and the others still commit. Units therefore
 * must write only through `tx`, not depend on each other, and be safe to run again after a
 * rollback.
 */
import type { Queryable, Store } from './store.js';

interface Unit {
  work: (tx: Queryable) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** Runs `work` in a transaction of `store`: a plain one, or one that runs again on a conflict. */
export type TransactionRunner = <T>(store: Store, work: (tx: Queryable) => Promise<T>) => Promise<T>;

const plainTransaction: TransactionRunner = (store, work) => store.transaction(work);

export class GroupCommit {
  private pending: Unit[] = [];

  constructor(
    private readonly store: Store,
    private readonly transaction: TransactionRunner = plainTransaction,
  ) {}

  /** Runs `work` in a transaction shared with the other units submitted in this turn. */
  run<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (this.pending.length === 1) setImmediate(() => void this.commit());
    });
  }

  private async commit(): Promise<void> {
    const units = this.pending;
    this.pending = [];
    if (units.length === 1) return this.alone(units[0]!);
    let results: unknown[];
    try {
      results = await this.transaction(this.store, async (tx) => {
        const done: unknown[] = [];
        for (const unit of units) done.push(await unit.work(tx));
        return done;
      });
    } catch {
      await Promise.all(units.map((unit) => this.alone(unit)));
      return;
    }
    units.forEach((unit, i) => unit.resolve(results[i]));
  }

  private alone(unit: Unit): Promise<void> {
    return this.transaction(this.store, unit.work).then(unit.resolve, unit.reject);
  }
}
