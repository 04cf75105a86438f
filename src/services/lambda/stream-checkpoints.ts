/**
 * Where stream event source mappings keep their place: one row per (mapping, shard) with, for each
 * of the shard's batch lanes (ParallelizationFactor), the last sequence number handled and the
 * retry and tumbling-window state of the lane's head. A row is written after every batch is
 * handled, so a restart — or a `kill -9` — resumes after the last checkpoint: at least once, in
 * order.
 *
 * Each unfinished shard also has a work item (queue `lambda-stream-shards`, ordering key
 * `<mapping>/<shard>`): the node holding its lease reads the shard, so one shard is processed by
 * one node at a time, and a dead node's shards are taken over once its leases expire. The items
 * of one key run one after another, so an extra item (a mapping enabled again while its last
 * worker winds down) waits for the first instead of reading the shard twice; enqueuing always
 * locks the shard's row first, as the work queue asks of its callers.
 */
import type { Migration, Queryable } from '../../storage/store.js';
import type { WorkQueue } from '../../storage/work-queue.js';

export const streamShardQueue = 'lambda-stream-shards';

/** A shard's work item. */
export interface ShardWork {
  mapping: string;
  shardId: string;
}

/** One batch lane of a shard, as its row keeps it. */
export interface LaneState {
  /** The last sequence number this lane delivered, discarded or filtered out; null: none yet. */
  after: string | null;
  /** Failed attempts at the lane's head record (what MaximumRetryAttempts counts). */
  retries: number;
  /** Invocations that included the head record (a failure record's `approximateInvokeCount`). */
  invokes: number;
  /** The open tumbling window: its start (ms) and the state the function last returned. */
  window?: { start: number; state: unknown };
}

export interface StreamShardRow extends Record<string, unknown> {
  mapping_uuid: string;
  shard_id: string;
  parent_shard_id: string | null;
  /** Where reading starts in a lane with no checkpoint: after this number, or (null) the shard's first record. */
  start_after: string | null;
  /** JSON `LaneState[]`; `[]` until the shard is first read. */
  lanes: string;
  finished: number;
  /** The worker that read the shard last; a worker that finds another's token here has been superseded. */
  owner: string | null;
}

/** A shard to start reading, where. */
export interface ShardStart {
  shardId: string;
  parentShardId: string | null;
  startAfter: string | null;
}

export const streamCheckpointMigrations: readonly Migration[] = [
  {
    id: 'lambda-005-stream-event-sources',
    up: () => `
      ALTER TABLE lambda_event_source_mappings ADD COLUMN stream_settings TEXT;
      ALTER TABLE lambda_event_source_mappings ADD COLUMN last_processing_result TEXT;
      CREATE TABLE lambda_stream_shards (
        mapping_uuid TEXT NOT NULL,
        shard_id TEXT NOT NULL,
        parent_shard_id TEXT,
        start_after TEXT,
        lanes TEXT NOT NULL,
        finished INTEGER NOT NULL,
        owner TEXT,
        PRIMARY KEY (mapping_uuid, shard_id)
      );
    `,
  },
];

const orderingKey = (mapping: string, shardId: string) => `${mapping}/${shardId}`;

function enqueueShard(tx: Queryable, workQueue: WorkQueue, mapping: string, shardId: string) {
  const work: ShardWork = { mapping, shardId };
  return workQueue.enqueue(tx, streamShardQueue, work, { orderingKey: orderingKey(mapping, shardId) });
}

export const streamShardQueries = {
  /**
   * Adds shards not yet known to the mapping, each with its work item unless the mapping is
   * disabled (enabling it queues them); known shards are left alone.
   */
  async add(
    tx: Queryable,
    workQueue: WorkQueue,
    mapping: string,
    shards: readonly ShardStart[],
    { enqueue = true }: { enqueue?: boolean } = {},
  ) {
    for (const shard of shards) {
      const { changes } = await tx.run(
        `INSERT INTO lambda_stream_shards (mapping_uuid, shard_id, parent_shard_id, start_after, lanes, finished)
         VALUES (?, ?, ?, ?, '[]', 0) ON CONFLICT (mapping_uuid, shard_id) DO NOTHING`,
        [mapping, shard.shardId, shard.parentShardId, shard.startAfter],
      );
      if (changes > 0 && enqueue) await enqueueShard(tx, workQueue, mapping, shard.shardId);
    }
  },

  /** A mapping enabled again: every unfinished shard gets a work item. */
  async resume(tx: Queryable, workQueue: WorkQueue, forUpdate: string, mapping: string) {
    const rows = await tx.all<{ shard_id: string }>(
      `SELECT shard_id FROM lambda_stream_shards WHERE mapping_uuid = ? AND finished = 0 ${forUpdate}`,
      [mapping],
    );
    for (const row of rows) await enqueueShard(tx, workQueue, mapping, row.shard_id);
  },

  /** Takes the shard over for a worker: later writes of any earlier worker no longer land. */
  take: (db: Queryable, mapping: string, shardId: string, owner: string) =>
    db.get<StreamShardRow>(
      'UPDATE lambda_stream_shards SET owner = ? WHERE mapping_uuid = ? AND shard_id = ? RETURNING *',
      [owner, mapping, shardId],
    ),

  /** Writes the lanes' checkpoints; false when another worker has taken the shard since. */
  async save(db: Queryable, mapping: string, shardId: string, owner: string, lanes: readonly LaneState[]) {
    const { changes } = await db.run(
      'UPDATE lambda_stream_shards SET lanes = ? WHERE mapping_uuid = ? AND shard_id = ? AND owner = ?',
      [JSON.stringify(lanes), mapping, shardId, owner],
    );
    return changes > 0;
  },

  /**
   * The shard is read to its end: marks it finished and adds its children (read only now, after
   * their parent, as Lambda reads them). Its own parent's row has nothing left to guard — the
   * shard it would re-create exists — and goes.
   */
  async finish(
    tx: Queryable,
    workQueue: WorkQueue,
    row: Pick<StreamShardRow, 'mapping_uuid' | 'shard_id' | 'parent_shard_id'>,
    owner: string,
    children: readonly ShardStart[],
  ): Promise<boolean> {
    const { changes } = await tx.run(
      'UPDATE lambda_stream_shards SET finished = 1 WHERE mapping_uuid = ? AND shard_id = ? AND owner = ?',
      [row.mapping_uuid, row.shard_id, owner],
    );
    if (changes === 0) return false;
    if (row.parent_shard_id !== null) {
      await tx.run(
        'DELETE FROM lambda_stream_shards WHERE mapping_uuid = ? AND shard_id = ? AND finished = 1',
        [row.mapping_uuid, row.parent_shard_id],
      );
    }
    await streamShardQueries.add(tx, workQueue, row.mapping_uuid, children);
    return true;
  },

  deleteForMapping: (db: Queryable, mapping: string) =>
    db.run('DELETE FROM lambda_stream_shards WHERE mapping_uuid = ?', [mapping]),
};
