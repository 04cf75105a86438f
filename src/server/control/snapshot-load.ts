/**
 * Loading a snapshot replaces the whole state, atomically:
 *
 * 1. The header decides how: a snapshot with exactly this Stratus's migrations loads straight
 *    from the file; one with a subset (an older Stratus) is first staged in a temporary SQLite
 *    store migrated to exactly its migrations, filled, then migrated the rest of the way; one
 *    with migrations this Stratus lacks (a newer one) is refused.
 * 2. The whole file is read and checked before anything changes (gzip, checksum, tables and
 *    columns against the schema); blobs are written to the blob store on the way, which is
 *    harmless as they are stored by content.
 * 3. Services quiesce (warm environments of the old state stop), then one transaction deletes
 *    every table's rows and inserts the snapshot's, ids included, and checks the blobs its rows
 *    name are there. A failure rolls it all back: the old state stays whole.
 * 4. Services forget the old state and start what the new one asks for; unused blobs go.
 */
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  advanceIdentities,
  columnsOf,
  deleteAll,
  insertRows,
  stratusTables,
  tableNames,
  tableRows,
  type Column,
} from '../../storage/catalog.js';
import { SqliteStore } from '../../storage/sqlite.js';
import type { Migration, Queryable, SqlValue, Store } from '../../storage/store.js';
import type { ServicesState } from './services-state.js';
import {
  snapshotFormatVersion,
  SnapshotError,
  type SnapshotCounts,
  type SnapshotHeader,
  type SnapshotRecord,
} from './snapshot-format.js';
import { readSnapshot, readSnapshotHeader } from './snapshot-reader.js';

export interface LoadReport extends SnapshotCounts {
  /** The Stratus version that wrote the snapshot. */
  stratusVersion: string;
  createdAt: string;
  /** Migrations run on the snapshot's rows to bring them to this Stratus's schema. */
  upgradedBy: string[];
  durationMs: number;
}

/** A batch of one table's rows, in the columns given. */
interface TableBatch {
  table: string;
  columns: string[];
  rows: SqlValue[][];
}

type Schema = Map<string, Column[]>;

export interface LoadOptions {
  /** Every migration this Stratus runs, in order. */
  migrations: readonly Migration[];
  /** Where the staging store of an older snapshot goes. */
  workDir: string;
}

export async function loadSnapshot(
  state: ServicesState,
  path: string,
  options: LoadOptions,
): Promise<LoadReport> {
  const started = performance.now();
  const header = await readSnapshotHeader(path);
  const pending = migrationsToRun(header, options.migrations);
  const stagingPath = join(options.workDir, `snapshot-staging-${randomBytes(6).toString('hex')}.db`);
  const staging = pending.length > 0 ? new SqliteStore({ path: stagingPath }) : undefined;
  try {
    let batches: () => AsyncIterable<TableBatch>;
    let counts: SnapshotCounts;
    if (staging) {
      const snapshotMigrations = new Set(header.migrations);
      await staging.migrate(options.migrations.filter((m) => snapshotMigrations.has(m.id)));
      const stagedTables = (await tableNames(staging, staging.dialect)).filter(
        (t) => t !== stratusTables.migrations,
      );
      counts = await check(path, await schemaOf(staging, stagedTables), state);
      await staging.transaction(async (tx) => {
        for await (const batch of fileBatches(path))
          await insertRows(tx, staging.dialect, batch.table, batch.columns, batch.rows);
      });
      await staging.migrate(options.migrations);
      batches = () => storeBatches(staging, state.allTables());
    } else {
      counts = await check(path, await schemaOf(state.store, state.allTables()), state);
      batches = () => fileBatches(path);
    }
    await replaceState(state, batches);
    return {
      ...counts,
      stratusVersion: header.stratusVersion,
      createdAt: header.createdAt,
      upgradedBy: pending,
      durationMs: Math.round(performance.now() - started),
    };
  } finally {
    if (staging) {
      await staging.close();
      for (const suffix of ['', '-wal', '-shm']) await rm(`${stagingPath}${suffix}`, { force: true });
    }
  }
}

/** The migrations the snapshot's rows still need; refuses a snapshot from a newer Stratus. */
function migrationsToRun(header: SnapshotHeader, migrations: readonly Migration[]): string[] {
  const known = new Set(migrations.map((m) => m.id));
  const unknown = header.migrations.filter((id) => !known.has(id));
  if (header.formatVersion > snapshotFormatVersion || unknown.length > 0) {
    const why =
      unknown.length > 0
        ? `with migrations this one lacks: ${unknown.join(', ')}`
        : `in snapshot format ${header.formatVersion}`;
    throw new SnapshotError(
      `This snapshot was written by a newer Stratus (${header.stratusVersion}, ${why}); upgrade Stratus to load it.`,
    );
  }
  const applied = new Set(header.migrations);
  return migrations.filter((m) => !applied.has(m.id)).map((m) => m.id);
}

async function schemaOf(store: Store, tables: readonly string[]): Promise<Schema> {
  const schema: Schema = new Map();
  for (const table of tables) {
    const columns = await columnsOf(store, store.dialect, table);
    if (columns) schema.set(table, columns);
  }
  return schema;
}

/**
 * Reads the whole file, checking its tables and columns against `schema`, and stores its blobs.
 * Nothing else changes: a file refused here leaves the state as it was.
 */
async function check(path: string, schema: Schema, state: ServicesState): Promise<SnapshotCounts> {
  const seen = new Set<string>();
  const records = readSnapshot(path);
  for (let next = await records.next(); !next.done; next = await records.next()) {
    const record = next.value;
    if (record.kind === 'table') {
      const columns = schema.get(record.table);
      if (!columns)
        throw new SnapshotError(`The snapshot has a table this Stratus does not know: ${record.table}.`);
      if (seen.has(record.table)) throw new SnapshotError(`The snapshot has table ${record.table} twice.`);
      seen.add(record.table);
      const names = new Set(columns.map((c) => c.name));
      const unknown = record.columns.filter((c) => !names.has(c));
      if (unknown.length > 0) {
        throw new SnapshotError(
          `The snapshot's table ${record.table} has unknown columns: ${unknown.join(', ')}.`,
        );
      }
    }
    if (record.kind === 'blob') await state.blobs.putStream(Readable.from(blobData(records, record.size)));
    if (record.kind === 'end') return record.counts;
  }
  throw new SnapshotError('The snapshot ends early: the file is truncated.');
}

/** The data records that follow a blob record, as a stream of bytes (the reader checks its hash). */
async function* blobData(records: AsyncGenerator<SnapshotRecord>, size: number) {
  for (let left = size; left > 0;) {
    const next = await records.next();
    if (next.done || next.value.kind !== 'data')
      throw new SnapshotError('A blob in the snapshot is cut short.');
    left -= next.value.bytes.length;
    yield next.value.bytes;
  }
}

async function* fileBatches(path: string): AsyncGenerator<TableBatch> {
  let current: { table: string; columns: string[] } | undefined;
  for await (const record of readSnapshot(path)) {
    if (record.kind === 'table') current = { table: record.table, columns: record.columns };
    if (record.kind === 'rows' && current) yield { ...current, rows: record.rows };
  }
}

async function* storeBatches(store: Store, tables: readonly string[]): AsyncGenerator<TableBatch> {
  for (const table of tables) {
    const columns = (await columnsOf(store, store.dialect, table))?.map((c) => c.name);
    if (!columns) continue;
    for await (const rows of tableRows(store, store.dialect, table, columns)) {
      yield { table, columns, rows: rows as SqlValue[][] };
    }
  }
}

/** Step 3 and 4: one transaction swaps every table's rows, between the services' quiesce and reset. */
async function replaceState(state: ServicesState, batches: () => AsyncIterable<TableBatch>): Promise<void> {
  const { store } = state;
  const tables = state.allTables();
  await state.rewrite(state.select(), async (tx) => {
    for (const table of [...tables].reverse()) await deleteAll(tx, table);
    for await (const batch of batches())
      await insertRows(tx, store.dialect, batch.table, batch.columns, batch.rows);
    for (const table of tables) {
      await advanceIdentities(tx, store.dialect, table, (await columnsOf(tx, store.dialect, table)) ?? []);
    }
    await requireBlobs(tx, state);
  });
}

async function requireBlobs(tx: Queryable, state: ServicesState): Promise<void> {
  for (const sha256 of await state.referencedBlobs(tx)) {
    if (!(await state.blobs.has(sha256))) {
      throw new SnapshotError(
        `The snapshot's rows name blob ${sha256}, which neither it nor this Stratus has.`,
      );
    }
  }
}
