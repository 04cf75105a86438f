/**
 * Reads one shard of a DynamoDB stream for one mapping, while this node holds the shard's work
 * item: GetShardIterator after the lanes' checkpoints, GetRecords four times a second while the
 * shard is quiet (at once while it has more), each record dealt to its lane by partition key.
 * When the shard is closed and every lane has handled its last record, the shard is finished and
 * its children queued (stream-checkpoints.ts).
 *
 * The worker lets go of the shard when its mapping changes (a new worker starts with the new
 * settings), is disabled or deleted, or when Stratus stops; it stops at once when its lease or
 * its row was taken over by another node.
 */
import { createHash, randomUUID } from 'node:crypto';
import type * as Streams from '@aws-sdk/client-dynamodb-streams';
import type { Logger } from 'pino';
import type { Clock } from '../../engine/clock.js';
import type { EventPattern } from '../../patterns/index.js';
import { isServiceError } from '../../protocol/errors.js';
import type { Store } from '../../storage/store.js';
import type { WorkItem, WorkQueue } from '../../storage/work-queue.js';
import type { ServiceCaller } from '../service.js';
import { compileFilters } from './event-filters.js';
import {
  eventSourceQueries,
  filterCriteriaOf,
  streamSettingsOf,
  type EventSourceMappingRow,
} from './event-source-tables.js';
import {
  streamShardQueries,
  type LaneState,
  type ShardWork,
  type StreamShardRow,
} from './stream-checkpoints.js';
import { dynamoDbEventRecord, streamRecordMatches } from './stream-event.js';
import { StreamLane, type LaneContext, type QueuedRecord } from './stream-lane.js';
import { childShards, describeStream, streamWhere, type StreamSettings } from './stream-mapping.js';

const leaseMs = 30_000;
const extendEveryMs = 10_000;
const watchEveryMs = 1000;
/** Lambda polls a shard four times a second. */
const pollMs = 250;
const errorPauseMs = 1000;

/** What a worker does with its shard, lane by lane (the lane context less the per-shard parts). */
export interface ShardWorkerDeps {
  store: Store;
  clock: Clock;
  services: ServiceCaller;
  workQueue: WorkQueue;
  logger: Logger;
  /** The node's claimer name: the work item's lease holder. */
  owner: string;
  lane(
    mapping: EventSourceMappingRow,
    settings: StreamSettings,
    shardId: string,
  ): Omit<LaneContext, 'save' | 'pause' | 'delay'>;
}

type Ending = 'finished' | 'release' | 'drop' | 'lost';

export class ShardWorker {
  private readonly token = randomUUID();
  private ending: Ending | undefined;
  private wakers: (() => void)[] = [];
  private lanes: StreamLane[] = [];
  private shardEnded = false;
  private saving: Promise<void> = Promise.resolve();

  constructor(
    private readonly item: WorkItem<ShardWork>,
    private readonly deps: ShardWorkerDeps,
  ) {}

  /** Asks the worker to let go of its shard once its batches in flight are settled. */
  stop(ending: Ending = 'release'): void {
    this.ending ??= ending;
    this.wake();
  }

  async run(): Promise<void> {
    const { store, workQueue, owner, clock } = this.deps;
    const { mapping: uuid, shardId } = this.item.payload;
    const row = await streamShardQueries.take(store, uuid, shardId, this.token);
    const mapping = await eventSourceQueries.get(store, uuid);
    const settings = mapping && streamSettingsOf(mapping);
    if (!row || row.finished === 1 || !mapping || mapping.enabled !== 1 || !settings) {
      await workQueue.complete(this.item.id, owner);
      return;
    }
    const unjump = clock.onJump(() => this.wake());
    const timers = [
      setInterval(() => void this.extend(), extendEveryMs),
      setInterval(() => void this.watch(mapping), watchEveryMs),
    ];
    for (const timer of timers) timer.unref();
    try {
      await this.process(row, mapping, settings);
    } catch (err) {
      this.deps.logger.warn({ err, mapping: uuid, shardId }, 'could not read a stream shard');
      this.ending ??= 'release';
    } finally {
      for (const timer of timers) clearInterval(timer);
      unjump();
    }
    await this.end(row, mapping).catch(async (err: unknown) => {
      this.deps.logger.warn({ err, mapping: uuid, shardId }, 'could not settle a stream shard');
      await workQueue.retry(this.item.id, owner, clock.now()).catch(() => false);
    });
  }

  private async process(row: StreamShardRow, mapping: EventSourceMappingRow, settings: StreamSettings) {
    const description = await streamOrNone(this.deps.services, mapping.event_source_arn);
    if (!description) {
      // The stream is gone (its table deleted a day ago): nothing is left to read.
      this.ending = 'finished';
      return;
    }
    const hashKey = description.KeySchema?.find((k) => k.KeyType === 'HASH')?.AttributeName ?? '';
    const context: LaneContext = {
      ...this.deps.lane(mapping, settings, row.shard_id),
      save: () => this.save(),
      pause: (ms) => this.sleep(ms),
      delay: (ms) => this.delay(ms),
    };
    this.lanes = lanesOf(row, settings.ParallelizationFactor).map((state) => new StreamLane(context, state));
    const filters = compileFilters(filterCriteriaOf(mapping));
    await Promise.all([
      this.read(row, mapping, hashKey, filters),
      ...this.lanes.map((lane) => this.drive(lane)),
    ]);
    if (this.ending === undefined) this.ending = 'finished';
  }

  /** Reads the shard into the lanes until it ends or the worker stops. */
  private async read(
    row: StreamShardRow,
    mapping: EventSourceMappingRow,
    hashKey: string,
    filters: EventPattern[],
  ) {
    const arn = mapping.event_source_arn;
    const where = streamWhere(arn);
    const cap = Math.max(1000, 2 * mapping.batch_size * this.lanes.length);
    let after = readStart(row, this.lanes);
    let iterator = await this.iterator(arn, row.shard_id, after);
    while (this.ending === undefined) {
      if (this.lanes.reduce((n, lane) => n + lane.pending, 0) >= cap) {
        await this.sleep(pollMs);
        continue;
      }
      let page: Streams.GetRecordsOutput;
      try {
        page = await this.deps.services.call(
          'dynamodbstreams',
          'GetRecords',
          { ShardIterator: iterator },
          where,
        );
      } catch (err) {
        const code = isServiceError(err) ? err.code : undefined;
        if (code === 'ExpiredIteratorException') {
          iterator = await this.iterator(arn, row.shard_id, after);
        } else if (code === 'ResourceNotFoundException') {
          break; // the shard (or its stream) has been trimmed away: nothing more to read
        } else {
          this.deps.logger.warn({ err, mapping: mapping.uuid }, 'could not read stream records');
          await this.sleep(errorPauseMs);
        }
        continue;
      }
      const now = this.deps.clock.now();
      for (const record of page.Records ?? []) {
        const event = dynamoDbEventRecord(record, arn);
        after = event.dynamodb.SequenceNumber;
        const queued: QueuedRecord = {
          seq: BigInt(after),
          record: event,
          matches: streamRecordMatches(filters, event),
          createdAt: event.dynamodb.ApproximateCreationDateTime * 1000,
          queuedAt: now,
        };
        this.lanes[laneOf(event.dynamodb.Keys[hashKey], this.lanes.length)]!.push(queued);
      }
      if ((page.Records ?? []).length > 0) this.wake();
      if (!page.NextShardIterator) break;
      iterator = page.NextShardIterator;
      if ((page.Records ?? []).length === 0) await this.sleep(pollMs);
    }
    this.shardEnded = true;
    this.wake();
  }

  private async iterator(arn: string, shardId: string, after: string | null): Promise<string> {
    const ask = (type: string, sequenceNumber?: string) =>
      this.deps.services.call<Streams.GetShardIteratorOutput>(
        'dynamodbstreams',
        'GetShardIterator',
        { StreamArn: arn, ShardId: shardId, ShardIteratorType: type, SequenceNumber: sequenceNumber },
        streamWhere(arn),
      );
    if (after === null) return (await ask('TRIM_HORIZON')).ShardIterator!;
    try {
      return (await ask('AFTER_SEQUENCE_NUMBER', after)).ShardIterator!;
    } catch (err) {
      // The checkpoint's record has expired: what is left starts at the oldest record.
      if (isServiceError(err) && err.code === 'TrimmedDataAccessException') {
        return (await ask('TRIM_HORIZON')).ShardIterator!;
      }
      throw err;
    }
  }

  /** Runs a lane until the shard is done with or the worker stops. */
  private async drive(lane: StreamLane): Promise<void> {
    while (this.ending === undefined) {
      const step = await lane.step(this.shardEnded);
      if (step === 'done') return;
      if (step === 'idle') await this.sleep(pollMs);
    }
  }

  /** Writes every lane's checkpoint, one write after another. */
  private save(): Promise<void> {
    const { store } = this.deps;
    const { mapping, shardId } = this.item.payload;
    const lanes: LaneState[] = this.lanes.map((lane) => structuredClone(lane.state));
    this.saving = this.saving.then(async () => {
      if (!(await streamShardQueries.save(store, mapping, shardId, this.token, lanes))) this.stop('lost');
    });
    return this.saving;
  }

  private async extend(): Promise<void> {
    const held = await this.deps.workQueue.extend(this.item.id, this.deps.owner, leaseMs).catch(() => true);
    if (!held) this.stop('lost');
  }

  /** Lets go when the mapping is changed, disabled or deleted. */
  private async watch(started: EventSourceMappingRow): Promise<void> {
    const now = await eventSourceQueries.get(this.deps.store, started.uuid).catch(() => started);
    if (!now || now.enabled !== 1) this.stop('drop');
    else if (now.last_modified !== started.last_modified) this.stop('release');
  }

  private async end(row: StreamShardRow, mapping: EventSourceMappingRow): Promise<void> {
    const { store, workQueue, owner, clock } = this.deps;
    await this.saving;
    if (this.ending === 'finished') {
      // Without the stream's shards the children cannot be queued: the next worker finishes it.
      const description = await streamOrNone(this.deps.services, mapping.event_source_arn);
      const children = description ? childShards(description.Shards, row.shard_id) : [];
      const finished = await store.transaction((tx) =>
        streamShardQueries.finish(tx, workQueue, row, this.token, children),
      );
      if (finished) await workQueue.complete(this.item.id, owner);
    } else if (this.ending === 'drop') {
      await workQueue.complete(this.item.id, owner);
    } else if (this.ending === 'release') {
      await workQueue.retry(this.item.id, owner, clock.now());
    }
  }

  /** Waits until Stratus's time has moved `ms` on (looking whenever the lanes are woken), or the worker stops. */
  private async delay(ms: number): Promise<void> {
    const due = this.deps.clock.now() + ms;
    while (this.ending === undefined && this.deps.clock.now() < due) await this.sleep(pollMs);
  }

  private sleep(ms: number): Promise<void> {
    if (this.ending !== undefined) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref();
      const wakers = this.wakers;
      function done() {
        clearTimeout(timer);
        resolve();
      }
      wakers.push(done);
    });
  }

  private wake(): void {
    const wakers = this.wakers;
    this.wakers = [];
    for (const wake of wakers) wake();
  }
}

/** The stream's description, or undefined once the stream no longer exists. */
async function streamOrNone(services: ServiceCaller, streamArn: string) {
  try {
    return await describeStream(services, streamArn);
  } catch (err) {
    if (isServiceError(err) && err.code === 'InvalidParameterValueException') return undefined;
    throw err;
  }
}

/** The lanes' states, for this many lanes; a changed ParallelizationFactor starts every lane where the slowest was. */
function lanesOf(row: StreamShardRow, factor: number): LaneState[] {
  const stored = JSON.parse(row.lanes) as LaneState[];
  if (stored.length === factor) return stored;
  const starts = stored.map((lane) => lane.after);
  const after =
    starts.length === 0 || starts.includes(null)
      ? null
      : starts.reduce((a, b) => (BigInt(a!) < BigInt(b!) ? a : b));
  return Array.from({ length: factor }, () => ({ after, retries: 0, invokes: 0 }));
}

/** Where reading resumes: after the lowest checkpoint of any lane (or the shard's start). */
function readStart(row: StreamShardRow, lanes: readonly StreamLane[]): string | null {
  let start: string | null | undefined;
  for (const lane of lanes) {
    const after = lane.state.after ?? row.start_after;
    if (after === null) return null;
    if (start === undefined || BigInt(after) < BigInt(start!)) start = after;
  }
  return start ?? row.start_after;
}

/** The lane of a partition key: the same key, the same lane, always. */
export function laneOf(partitionKey: unknown, lanes: number): number {
  if (lanes === 1) return 0;
  const digest = createHash('md5')
    .update(JSON.stringify(partitionKey ?? null))
    .digest();
  return digest.readUInt32BE(0) % lanes;
}
