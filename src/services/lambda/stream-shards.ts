/**
 * This node's share of the stream shards every stream mapping reads: it claims shards' work items
 * (stream-checkpoints.ts) and runs a ShardWorker for each while it holds the lease. Any node may
 * claim any shard, so the shards of a cluster spread over its nodes, and a dead node's shards
 * move to the others when its leases expire.
 *
 * It also gives the workers' lanes what they reach outside the shard: the function (through the
 * Invoker, as every event source does), the OnFailure destination, the IteratorAge metric and
 * the mapping's LastProcessingResult.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from '../../engine/clock.js';
import { WorkLoop } from '../../engine/work-loop.js';
import type { Store } from '../../storage/store.js';
import type { WorkItem, WorkQueue } from '../../storage/work-queue.js';
import type { ServiceCaller } from '../service.js';
import { functionArn } from './arns.js';
import { sendToDestination, type DestinationDeps } from './destinations.js';
import { eventSourceQueries, type EventSourceMappingRow } from './event-source-tables.js';
import type { LambdaMetrics } from './lambda-metrics.js';
import { streamShardQueue, type ShardWork } from './stream-checkpoints.js';
import { failureRecord } from './stream-event.js';
import type { InvocationAnswer, LaneContext } from './stream-lane.js';
import type { StreamSettings } from './stream-mapping.js';
import { ShardWorker } from './stream-shard-worker.js';

const claimLeaseMs = 30_000;
const claimLimit = 10;
const idlePollMs = 1000;

export interface StreamShardDeps {
  store: Store;
  clock: Clock;
  services: ServiceCaller;
  workQueue: WorkQueue;
  logger: Logger;
  metrics: LambdaMetrics;
  destinations: DestinationDeps;
  /** Runs a mapping's function with one event; throws Lambda's errors. */
  invoke(mapping: EventSourceMappingRow, event: Buffer): Promise<InvocationAnswer>;
}

export class StreamShardProcessor {
  private readonly owner = `lambda-streams-${randomUUID()}`;
  private readonly loop: WorkLoop<ShardWork>;
  private readonly workers = new Set<ShardWorker>();
  private stopping = false;
  /** LastProcessingResult as last written, per mapping, so a steady result is written once. */
  private readonly results = new Map<string, string>();

  constructor(private readonly deps: StreamShardDeps) {
    this.loop = new WorkLoop<ShardWork>({
      claim: () =>
        deps.workQueue.claim<ShardWork>(streamShardQueue, this.owner, {
          leaseMs: claimLeaseMs,
          limit: claimLimit,
        }),
      handle: (item) => this.handle(item),
      claimFailed: (err) => deps.logger.warn({ err }, 'could not claim stream shards'),
      idlePollMs,
      clock: deps.clock,
      paceBatches: true,
    });
  }

  start(): void {
    this.stopping = false;
    this.loop.start();
  }

  /** A mapping was created or enabled here: its shards are claimable now. */
  wake(): void {
    this.loop.wake();
  }

  /** Lets go of every shard once the batches in flight are settled (their leases go with them). */
  async stop(): Promise<void> {
    this.stopping = true;
    const stopped = this.loop.stop();
    for (const worker of this.workers) worker.stop();
    await stopped;
  }

  private async handle(item: WorkItem<ShardWork>): Promise<void> {
    const { workQueue, clock, logger } = this.deps;
    if (this.stopping) {
      await workQueue.retry(item.id, this.owner, clock.now());
      return;
    }
    const worker = new ShardWorker(item, {
      store: this.deps.store,
      clock,
      services: this.deps.services,
      workQueue,
      logger,
      owner: this.owner,
      lane: (mapping, settings, shardId) => this.laneContext(mapping, settings, shardId),
    });
    this.workers.add(worker);
    try {
      await worker.run();
    } catch (err) {
      logger.warn({ err, shard: item.payload }, 'a stream shard worker failed');
      await workQueue.retry(item.id, this.owner, clock.now()).catch(() => false);
    } finally {
      this.workers.delete(worker);
    }
  }

  private laneContext(
    mapping: EventSourceMappingRow,
    settings: StreamSettings,
    shardId: string,
  ): Omit<LaneContext, 'save' | 'pause' | 'delay'> {
    const { clock, metrics, logger } = this.deps;
    const at = { accountId: mapping.account_id, region: mapping.region };
    return {
      mapping,
      settings,
      shardId,
      clock,
      invoke: (event) => this.deps.invoke(mapping, event),
      giveUp: async (records, condition, invokes, last) => {
        if (!settings.OnFailure) return;
        const record = failureRecord({
          condition,
          functionArn: functionArn(at, mapping.function_name, mapping.qualifier ?? undefined),
          ...(last
            ? {
                lastInvocation: {
                  requestId: last.requestId,
                  executedVersion: last.executedVersion,
                  functionError: last.functionError,
                },
              }
            : {}),
          approximateInvokeCount: invokes,
          shardId,
          streamArn: mapping.event_source_arn,
          records,
          now: clock.now(),
        });
        // Lambda moves on either way: records it cannot report are lost to the destination only.
        await sendToDestination(this.deps.destinations, settings.OnFailure, record).catch((err: unknown) =>
          logger.warn({ err, mapping: mapping.uuid }, 'could not send a failure record'),
        );
      },
      iteratorAge: (ms) =>
        metrics.record(at, {
          functionName: mapping.function_name,
          ...(mapping.qualifier ? { resource: `${mapping.function_name}:${mapping.qualifier}` } : {}),
          values: { IteratorAge: ms },
        }),
      processingResult: (result, err) => {
        if (err) logger.info({ err, mapping: mapping.uuid }, 'stream batch not invoked');
        if (this.results.get(mapping.uuid) === result) return;
        this.results.set(mapping.uuid, result);
        eventSourceQueries
          .setLastProcessingResult(this.deps.store, mapping.uuid, result)
          .catch((e: unknown) => logger.warn({ err: e }, 'could not record LastProcessingResult'));
      },
    };
  }
}
