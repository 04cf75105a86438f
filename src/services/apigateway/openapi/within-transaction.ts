/**
 * A Store whose every statement and "transaction" runs inside one transaction already open. An
 * import builds the API with the modules' own operations (CreateResource, PutMethod, …), each of
 * which opens a transaction of its own; handed this store, they all run in the import's one, so
 * an import that fails half-way leaves nothing behind — AWS's "no change is made to the API".
 */
import type { Queryable, Store } from '../../../storage/store.js';

export function storeWithin(tx: Queryable, outer: Store): Store {
  return {
    dialect: outer.dialect,
    all: (sql, params) => tx.all(sql, params),
    get: (sql, params) => tx.get(sql, params),
    run: (sql, params) => tx.run(sql, params),
    transaction: (fn) => fn(tx),
    migrate: () => Promise.reject(new Error('Migrations do not run inside an import')),
    close: () => Promise.resolve(),
  };
}
