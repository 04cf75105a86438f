/**
 * DynamoDB Streams, the reading side: ListStreams, DescribeStream, GetShardIterator and
 * GetRecords. A shard iterator is an opaque token naming the shard, the position after which
 * to read, and when it was issued (iterators expire after 15 minutes, as AWS's do).
 */
import type * as Streams from '@aws-sdk/client-dynamodb-streams';
import type { Clock } from '../../engine/clock.js';
import type { Store } from '../../storage/store.js';
import { errorType } from '../../protocol/errors.js';
import type { RequestContext } from '../service.js';
import { itemFromWire } from './item-codec.js';
import { RECORD_RETENTION_MS, sequenceNumber, type StoredRecord } from './streams.js';

export const StreamNotFound = errorType('ResourceNotFoundException');
export const ExpiredIteratorException = errorType('ExpiredIteratorException');
export const TrimmedDataAccessException = errorType('TrimmedDataAccessException');
const StreamValidationException = errorType('ValidationException');

const ITERATOR_LIFETIME_MS = 15 * 60 * 1000;
const MAX_RECORDS = 1000;

interface StreamRow extends Record<string, unknown> {
  stream_arn: string;
  table_name: string;
  label: string;
  view_type: string;
  status: string;
  key_schema: string;
  next_seq: number;
  region: string;
  created_at: number;
}

interface ShardRow extends Record<string, unknown> {
  shard_id: string;
  parent_shard_id: string | null;
  first_seq: number;
  last_seq: number | null;
}

interface Iterator {
  arn: string;
  shard: string;
  /** Records with a greater sequence number come next. */
  after: number;
  issuedAt: number;
}

function encodeIterator(iterator: Iterator): string {
  return `${iterator.arn}|1|${Buffer.from(JSON.stringify(iterator)).toString('base64url')}`;
}

function decodeIterator(token: string): Iterator {
  const encoded = token.slice(token.lastIndexOf('|') + 1);
  try {
    const iterator = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as Iterator;
    if (typeof iterator.arn === 'string' && typeof iterator.after === 'number') return iterator;
  } catch {
    // reported below
  }
  throw new StreamValidationException('Invalid ShardIterator');
}

function notFound(what: string): never {
  throw new StreamNotFound(`Requested resource not found: ${what}`);
}

export class StreamReader {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  private async stream(arn: string): Promise<StreamRow> {
    const row = await this.store.get<StreamRow>('SELECT * FROM dynamodb_streams WHERE stream_arn = ?', [arn]);
    return row ?? notFound(`Stream: ${arn} not found`);
  }

  private async shard(arn: string, shardId: string): Promise<ShardRow> {
    const row = await this.store.get<ShardRow>(
      'SELECT shard_id, parent_shard_id, first_seq, last_seq FROM dynamodb_stream_shards WHERE stream_arn = ? AND shard_id = ?',
      [arn, shardId],
    );
    return row ?? notFound(`Shard: ${shardId} in Stream: ${arn} not found`);
  }

  async listStreams(input: Streams.ListStreamsInput, at: RequestContext): Promise<Streams.ListStreamsOutput> {
    const limit = input.Limit ?? 100;
    const byTable = input.TableName === undefined ? '' : ' AND table_name = ?';
    const rows = await this.store.all<StreamRow>(
      `SELECT stream_arn, table_name, label FROM dynamodb_streams WHERE account_id = ? AND region = ?${byTable}
         AND stream_arn > ? ORDER BY stream_arn LIMIT ?`,
      [
        at.accountId,
        at.region,
        ...(input.TableName === undefined ? [] : [input.TableName]),
        input.ExclusiveStartStreamArn ?? '',
        limit + 1,
      ],
    );
    const page = rows.slice(0, limit);
    return {
      Streams: page.map((r) => ({ StreamArn: r.stream_arn, TableName: r.table_name, StreamLabel: r.label })),
      ...(rows.length > limit ? { LastEvaluatedStreamArn: page[page.length - 1]!.stream_arn } : {}),
    };
  }

  async describeStream(input: Streams.DescribeStreamInput): Promise<Streams.DescribeStreamOutput> {
    const stream = await this.stream(input.StreamArn!);
    const limit = input.Limit ?? 100;
    const shards = await this.store.all<ShardRow>(
      `SELECT shard_id, parent_shard_id, first_seq, last_seq FROM dynamodb_stream_shards
       WHERE stream_arn = ? AND shard_id > ? ORDER BY shard_id LIMIT ?`,
      [stream.stream_arn, input.ExclusiveStartShardId ?? '', limit + 1],
    );
    const page = shards.slice(0, limit);
    return {
      StreamDescription: {
        StreamArn: stream.stream_arn,
        StreamLabel: stream.label,
        StreamStatus: stream.status as Streams.StreamStatus,
        StreamViewType: stream.view_type as Streams.StreamViewType,
        CreationRequestDateTime: new Date(stream.created_at),
        TableName: stream.table_name,
        KeySchema: JSON.parse(stream.key_schema) as Streams.KeySchemaElement[],
        Shards: page.map((s) => ({
          ShardId: s.shard_id,
          SequenceNumberRange: {
            StartingSequenceNumber: sequenceNumber(s.first_seq),
            ...(s.last_seq !== null ? { EndingSequenceNumber: sequenceNumber(s.last_seq) } : {}),
          },
          ...(s.parent_shard_id ? { ParentShardId: s.parent_shard_id } : {}),
        })),
        ...(shards.length > limit ? { LastEvaluatedShardId: page[page.length - 1]!.shard_id } : {}),
      },
    };
  }

  async getShardIterator(input: Streams.GetShardIteratorInput): Promise<Streams.GetShardIteratorOutput> {
    const stream = await this.stream(input.StreamArn!);
    const shard = await this.shard(stream.stream_arn, input.ShardId!);
    const end = shard.last_seq ?? stream.next_seq - 1;
    const type = input.ShardIteratorType!;
    let after: number;
    if (type === 'TRIM_HORIZON') after = shard.first_seq - 1;
    else if (type === 'LATEST') after = end;
    else {
      if (input.SequenceNumber === undefined) {
        throw new StreamValidationException(`SequenceNumber is required for ShardIteratorType ${type}`);
      }
      const seq = Number(input.SequenceNumber);
      if (!Number.isSafeInteger(seq) || seq < shard.first_seq || seq > end) {
        throw new StreamValidationException(
          `Invalid SequenceNumber ${input.SequenceNumber} for shard ${shard.shard_id}: not in the shard's range`,
        );
      }
      const oldest = await this.store.get<{ seq: number }>(
        'SELECT MIN(seq) AS seq FROM dynamodb_stream_records WHERE stream_arn = ? AND shard_id = ?',
        [stream.stream_arn, shard.shard_id],
      );
      if (oldest?.seq !== null && oldest?.seq !== undefined && seq < oldest.seq) {
        throw new TrimmedDataAccessException(
          'The operation attempted to read past the oldest stream record in a shard.',
        );
      }
      after = type === 'AT_SEQUENCE_NUMBER' ? seq - 1 : seq;
    }
    return {
      ShardIterator: encodeIterator({
        arn: stream.stream_arn,
        shard: shard.shard_id,
        after,
        issuedAt: this.clock.now(),
      }),
    };
  }

  async getRecords(input: Streams.GetRecordsInput): Promise<Streams.GetRecordsOutput> {
    const iterator = decodeIterator(input.ShardIterator!);
    const now = this.clock.now();
    if (now - iterator.issuedAt > ITERATOR_LIFETIME_MS) {
      throw new ExpiredIteratorException('Iterator expired. The iterator was created over 15 minutes ago.');
    }
    const stream = await this.stream(iterator.arn);
    const shard = await this.shard(iterator.arn, iterator.shard);
    const limit = Math.min(input.Limit ?? MAX_RECORDS, MAX_RECORDS);
    const rows = await this.store.all<{ seq: number; record: string }>(
      `SELECT seq, record FROM dynamodb_stream_records WHERE stream_arn = ? AND shard_id = ? AND seq > ? AND created_at >= ?
       ORDER BY seq LIMIT ?`,
      [iterator.arn, iterator.shard, iterator.after, now - RECORD_RETENTION_MS, limit],
    );
    const records = rows.map((row) => toRecord(stream, row.seq, JSON.parse(row.record) as StoredRecord));
    const after = rows.length > 0 ? rows[rows.length - 1]!.seq : iterator.after;
    const exhausted = shard.last_seq !== null && after >= shard.last_seq;
    return {
      Records: records,
      ...(exhausted ? {} : { NextShardIterator: encodeIterator({ ...iterator, after, issuedAt: now }) }),
    };
  }
}

function image(stored: Record<string, unknown> | undefined) {
  return stored && itemFromWire(stored);
}

function toRecord(stream: StreamRow, seq: number, stored: StoredRecord): Streams._Record {
  return {
    eventID: stored.eventID,
    eventName: stored.eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: stream.region,
    dynamodb: {
      ApproximateCreationDateTime: new Date(Math.floor(stored.createdAt / 1000) * 1000),
      Keys: image(stored.Keys),
      ...(stored.NewImage ? { NewImage: image(stored.NewImage) } : {}),
      ...(stored.OldImage ? { OldImage: image(stored.OldImage) } : {}),
      SequenceNumber: sequenceNumber(seq),
      SizeBytes: stored.SizeBytes,
      StreamViewType: stream.view_type as Streams.StreamViewType,
    },
    ...(stored.byService ? { userIdentity: { Type: 'Service', PrincipalId: 'dynamodb.amazonaws.com' } } : {}),
  } as Streams._Record;
}
