/** What a write changed, as the stream (and point-in-time recovery) record it. */
import type { Queryable } from '../../storage/store.js';
import type { Item } from './attribute-value.js';
import type { Table } from './catalog.js';

export interface ItemChange {
  keys: Item;
  old: Item | undefined;
  new: Item | undefined;
  /** TTL's deletes carry DynamoDB's service identity. */
  byService?: boolean;
}

/** Records changes in the write's own transaction; writes that changed nothing record nothing. */
export interface ChangeRecorder {
  record(tx: Queryable, table: Table, change: ItemChange): Promise<void>;
}
