/**
 * Reset: wipes every resource, message, execution, log and metric — or those of the named
 * services — while the server keeps running, for test suites to call between cases.
 *
 * 1. Each affected service quiesces: warm environments, spares and write-behind buffers go, and
 *    writes under way finish, so nothing of the old state is written back after the wipe.
 * 2. One transaction deletes the services' rows (children before parents) and their work items.
 * 3. Each service forgets what it had read (caches, long polls on wiped queues) and re-reads what
 *    the store now asks for (pollers of event source mappings).
 * 4. Blobs no row names any more are deleted.
 */
import { deleteAll } from '../../storage/catalog.js';
import { deleteWorkItems } from '../../storage/work-queue.js';
import type { ServicesState } from './services-state.js';

export interface ResetReport {
  /** The services reset (those sharing state with a named one included). */
  services: string[];
  /** Rows deleted per table. */
  tables: Record<string, number>;
  workItems: number;
  blobs: number;
  durationMs: number;
}

/** `names` undefined resets everything; unknown names throw `UnknownServices` before anything changes. */
export async function resetServices(state: ServicesState, names?: readonly string[]): Promise<ResetReport> {
  const started = performance.now();
  const selected = state.select(names);
  const tables = state.tablesOf(selected);
  const { result: deleted, blobs } = await state.rewrite(selected, async (tx) => {
    const counts: Record<string, number> = {};
    for (const table of [...tables].reverse()) counts[table] = await deleteAll(tx, table);
    const workItems = await deleteWorkItems(tx, names === undefined ? undefined : state.workQueues(selected));
    return { tables: counts, workItems };
  });
  return {
    services: selected.map((s) => s.definition.name),
    tables: Object.fromEntries(tables.map((table) => [table, deleted.tables[table]!])),
    workItems: deleted.workItems,
    blobs,
    durationMs: Math.round((performance.now() - started) * 10) / 10,
  };
}
