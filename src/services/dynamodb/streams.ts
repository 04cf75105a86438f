/**
 * DynamoDB Streams, the writing side: a table's stream is opened when its stream is enabled and
 * closed when it is disabled or the table deleted, and every item change on a table with an
 * enabled stream becomes a record in the change's own transaction — none for a write that
 * failed, none for a write that left the item as it was.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { Clock } from '../../engine/clock.js';
import type { Queryable } from '../../storage/store.js';
import type { Item } from './attribute-value.js';
import type { Table } from './catalog.js';
import type { ChangeRecorder, ItemChange } from './changes.js';
import { keySchemaElements, streamArn } from './describe.js';
import { wireItem } from './item-codec.js';
import { itemSize } from './values/size.js';

/** DynamoDB closes a stream's shards and opens their children every four hours or so. */
export const SHARD_LIFETIME_MS = 4 * 3600 * 1000;
export const RECORD_RETENTION_MS = 24 * 3600 * 1000;

/** What a record row's `record` column holds (items in their JSON wire form). */
export interface StoredRecord {
  eventID: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  createdAt: number;
  Keys: Record<string, unknown>;
  NewImage?: Record<string, unknown>;
  OldImage?: Record<string, unknown>;
  SizeBytes: number;
  byService?: boolean;
}

export function shardIdAt(ms: number): string {
  return `shardId-${String(ms).padStart(20, '0')}-${randomBytes(4).toString('hex')}`;
}

/** Sequence numbers as DynamoDB prints them: decimal strings of one width, so they sort as text too. */
export function sequenceNumber(seq: number): string {
  return String(seq).padStart(21, '0');
}

export class StreamRecorder implements ChangeRecorder {
  constructor(private readonly clock: Clock) {}

  /** Opens a new stream for a table whose stream was just enabled (definition.stream.label set). */
  async open(tx: Queryable, table: Table): Promise<void> {
    const arn = streamArn(table)!;
    const now = this.clock.now();
    const shardId = shardIdAt(now);
    await tx.run(
      `INSERT INTO dynamodb_streams (stream_arn, table_id, account_id, region, table_name, label, view_type, status,
         key_schema, next_seq, shard_id, shard_started_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'ENABLED', ?, 1, ?, ?, ?)`,
      [
        arn,
        table.id,
        table.accountId,
        table.region,
        table.name,
        table.definition.stream.label!,
        table.definition.stream.viewType!,
        JSON.stringify(keySchemaElements(table.definition.key)),
        shardId,
        now,
        now,
      ],
    );
    await tx.run(
      'INSERT INTO dynamodb_stream_shards (stream_arn, shard_id, parent_shard_id, first_seq, created_at) VALUES (?, ?, NULL, 1, ?)',
      [arn, shardId, now],
    );
  }

  /** Closes the table's current stream (disabled, or its table deleted); it stays readable 24 hours. */
  async close(tx: Queryable, table: Table): Promise<void> {
    const arn = streamArn(table);
    if (!arn) return;
    const stream = await tx.get<{ next_seq: number; shard_id: string }>(
      `UPDATE dynamodb_streams SET status = 'DISABLED', disabled_at = ? WHERE stream_arn = ? AND status = 'ENABLED'
       RETURNING next_seq, shard_id`,
      [this.clock.now(), arn],
    );
    if (!stream) return;
    await tx.run('UPDATE dynamodb_stream_shards SET last_seq = ? WHERE stream_arn = ? AND shard_id = ?', [
      stream.next_seq - 1,
      arn,
      stream.shard_id,
    ]);
  }

  async record(tx: Queryable, table: Table, change: ItemChange): Promise<void> {
    const { stream } = table.definition;
    if (!stream.enabled) return;
    if (change.old && change.new && isDeepStrictEqual(change.old, change.new)) return;
    const arn = streamArn(table)!;
    const now = this.clock.now();
    // Taking the number locks the stream row until commit: records commit in number order.
    const taken = await tx.get<{ seq: number; shard_id: string; shard_started_at: number }>(
      `UPDATE dynamodb_streams SET next_seq = next_seq + 1 WHERE stream_arn = ?
       RETURNING next_seq - 1 AS seq, shard_id, shard_started_at`,
      [arn],
    );
    if (!taken) return;
    let shardId = taken.shard_id;
    if (now - taken.shard_started_at >= SHARD_LIFETIME_MS) shardId = await this.rollOver(tx, arn, taken, now);
    const images = imagesFor(stream.viewType!, change);
    const record: StoredRecord = {
      eventID: randomUUID().replace(/-/g, ''),
      eventName: change.old === undefined ? 'INSERT' : change.new === undefined ? 'REMOVE' : 'MODIFY',
      createdAt: now,
      Keys: wireItem(change.keys),
      ...(images.NewImage ? { NewImage: wireItem(images.NewImage) } : {}),
      ...(images.OldImage ? { OldImage: wireItem(images.OldImage) } : {}),
      SizeBytes:
        itemSize(change.keys) +
        (images.NewImage ? itemSize(images.NewImage) : 0) +
        (images.OldImage ? itemSize(images.OldImage) : 0),
      ...(change.byService ? { byService: true } : {}),
    };
    await tx.run(
      'INSERT INTO dynamodb_stream_records (stream_arn, seq, shard_id, created_at, record) VALUES (?, ?, ?, ?, ?)',
      [arn, taken.seq, shardId, now, JSON.stringify(record)],
    );
  }

  /** Closes the current shard before `seq` and opens its child, which takes `seq` on. */
  private async rollOver(
    tx: Queryable,
    arn: string,
    taken: { seq: number; shard_id: string },
    now: number,
  ): Promise<string> {
    const child = shardIdAt(now);
    await tx.run('UPDATE dynamodb_stream_shards SET last_seq = ? WHERE stream_arn = ? AND shard_id = ?', [
      taken.seq - 1,
      arn,
      taken.shard_id,
    ]);
    await tx.run(
      'INSERT INTO dynamodb_stream_shards (stream_arn, shard_id, parent_shard_id, first_seq, created_at) VALUES (?, ?, ?, ?, ?)',
      [arn, child, taken.shard_id, taken.seq, now],
    );
    await tx.run('UPDATE dynamodb_streams SET shard_id = ?, shard_started_at = ? WHERE stream_arn = ?', [
      child,
      now,
      arn,
    ]);
    return child;
  }
}

function imagesFor(viewType: string, change: ItemChange): { NewImage?: Item; OldImage?: Item } {
  const out: { NewImage?: Item; OldImage?: Item } = {};
  if ((viewType === 'NEW_IMAGE' || viewType === 'NEW_AND_OLD_IMAGES') && change.new)
    out.NewImage = change.new;
  if ((viewType === 'OLD_IMAGE' || viewType === 'NEW_AND_OLD_IMAGES') && change.old)
    out.OldImage = change.old;
  return out;
}

/** Deletes records past 24 hours, and the shards and disabled streams nothing is left of. */
export async function trimStreams(db: Queryable, now: number): Promise<void> {
  const horizon = now - RECORD_RETENTION_MS;
  await db.run('DELETE FROM dynamodb_stream_records WHERE created_at < ?', [horizon]);
  await db.run(
    `DELETE FROM dynamodb_stream_shards WHERE last_seq IS NOT NULL AND created_at < ? AND NOT EXISTS
       (SELECT 1 FROM dynamodb_stream_records r WHERE r.stream_arn = dynamodb_stream_shards.stream_arn
          AND r.shard_id = dynamodb_stream_shards.shard_id)`,
    [horizon],
  );
  const gone = await db.all<{ stream_arn: string }>(
    "SELECT stream_arn FROM dynamodb_streams WHERE status = 'DISABLED' AND disabled_at < ?",
    [horizon],
  );
  for (const { stream_arn: arn } of gone) {
    await db.run('DELETE FROM dynamodb_stream_records WHERE stream_arn = ?', [arn]);
    await db.run('DELETE FROM dynamodb_stream_shards WHERE stream_arn = ?', [arn]);
    await db.run('DELETE FROM dynamodb_streams WHERE stream_arn = ?', [arn]);
  }
}
