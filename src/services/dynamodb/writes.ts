/**
 * Running a write: one store transaction that reads the item under lock, decides, and writes the
 * item, its index entries and its stream record together. On PostgreSQL a concurrent writer of
 * the same new key (a unique violation) or a deadlock between row locks makes the transaction
 * run again from the start, so it decides on what the other writer left.
 */
import { isTransactionConflict, isUniqueViolation, type Queryable, type Store } from '../../storage/store.js';

const ATTEMPTS = 8;

export async function runWrite<T>(store: Store, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await store.transaction(fn);
    } catch (err) {
      if (attempt >= ATTEMPTS || !(isUniqueViolation(err) || isTransactionConflict(err))) throw err;
    }
  }
}
