/** Deletes what has expired without a request touching it: messages past retention, spent dedup ids and receive attempts. */
import type { Clock } from '../../engine/clock.js';
import type { Store } from '../../storage/store.js';
import { settingsOf, type QueueAttributes } from './attributes.js';
import { queueQueries } from './tables.js';
import { attemptQueries, dedupQueries, messageQueries } from './message-tables.js';

export async function sweepExpired(store: Store, clock: Clock): Promise<void> {
  const now = clock.now();
  for (const queue of await queueQueries.all(store)) {
    const retention = settingsOf(JSON.parse(queue.attributes) as QueueAttributes).retentionSeconds;
    await messageQueries.deleteExpired(store, queue.id, now - retention * 1000);
  }
  await dedupQueries.deleteExpired(store, now);
  await attemptQueries.deleteExpired(store, now);
}
