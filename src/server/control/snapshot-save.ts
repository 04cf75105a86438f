/**
 * Saving a snapshot: what services hold back is written first (Lambda's logs, metrics, usage),
 * then one transaction reads every table — one consistent view on both engines — and the blobs
 * the rows name, into a snapshot file. On SQLite that transaction keeps other requests waiting
 * while the file is written (to local disk, not to the client), as any write transaction does.
 */
import { rm } from 'node:fs/promises';
import type { Clock } from '../../engine/clock.js';
import { columnsOf, readConsistently, stratusTables, tableRows } from '../../storage/catalog.js';
import { version } from '../../version.js';
import type { ServicesState } from './services-state.js';
import { SnapshotWriter, type SnapshotCounts } from './snapshot-format.js';

export async function saveSnapshot(
  state: ServicesState,
  path: string,
  clock: Clock,
): Promise<SnapshotCounts> {
  const { store, blobs } = state;
  await state.flush();
  const writer = new SnapshotWriter(path);
  try {
    return await store.transaction(async (tx) => {
      await readConsistently(tx, store.dialect);
      const applied = await tx.all<{ id: string }>(`SELECT id FROM ${stratusTables.migrations} ORDER BY id`);
      await writer.header({
        stratusVersion: version,
        createdAt: new Date(clock.now()).toISOString(),
        engine: store.dialect.engine,
        migrations: applied.map((row) => row.id),
      });
      for (const table of state.allTables()) {
        const columns = (await columnsOf(tx, store.dialect, table))?.map((column) => column.name);
        if (!columns) throw new Error(`Table ${table} is missing from the store`);
        await writer.table(table, columns);
        for await (const page of tableRows(tx, store.dialect, table, columns)) await writer.rows(page);
      }
      for (const sha256 of [...(await state.referencedBlobs(tx))].sort()) {
        await writer.blob(sha256, await blobs.sizeOf(sha256), blobs.stream(sha256));
      }
      return writer.end();
    });
  } catch (err) {
    writer.abort();
    await rm(path, { force: true });
    throw err;
  }
}
