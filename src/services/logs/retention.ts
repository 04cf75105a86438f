/**
 * Deletes events older than their group's retention. Reads already hide such events the moment
 * they expire; this sweep reclaims the space in the background.
 */
import type { Clock } from '../../engine/clock.js';
import type { Store } from '../../storage/store.js';
import { retentionCutoff } from './log-groups.js';
import { eventQueries, groupQueries } from './tables.js';

export async function sweepExpiredEvents(store: Store, clock: Clock): Promise<number> {
  let deleted = 0;
  const now = clock.now();
  for (const group of await groupQueries.withRetention(store)) {
    deleted += (await eventQueries.deleteOlderThan(store, group.id, retentionCutoff(group, now))).changes;
  }
  return deleted;
}
