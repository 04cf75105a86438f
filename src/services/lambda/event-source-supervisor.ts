/**
 * Keeps this node's pollers in step with the stored event source mappings: one `SqsPoller` per
 * enabled queue mapping, restarted when the mapping changes, stopped when it is disabled or
 * deleted, and the node's `StreamShardProcessor`, which claims the shards of stream mappings.
 * Changes made on this node apply at once; those made on other nodes sharing the store are picked
 * up by a periodic re-read. Every node polls every queue mapping — SQS hands each message to one
 * of them, as it does with Lambda's own fleet of pollers — while each stream shard is read by the
 * one node holding its lease.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Store } from '../../storage/store.js';
import type { ServiceCaller } from '../service.js';
import type { EventSourceMappings } from './event-source-mappings.js';
import { eventSourceQueries, type EventSourceMappingRow } from './event-source-tables.js';
import { resolveInvocationTarget } from './invocation-target.js';
import type { Invoker } from './invoke.js';
import { SqsPoller } from './sqs-poller.js';
import type { InvocationAnswer } from './stream-lane.js';
import { StreamShardProcessor, type StreamShardDeps } from './stream-shards.js';

const resyncMs = 2000;

export interface SupervisorDeps extends Omit<StreamShardDeps, 'invoke'> {
  store: Store;
  mappings: EventSourceMappings;
  services: ServiceCaller;
  invoker: Invoker;
  logger: Logger;
  /** Pollers per mapping without a MaximumConcurrency: the account's concurrency limit. */
  maximumConcurrency(): number;
}

export class EventSourceSupervisor {
  private readonly pollers = new Map<string, { poller: SqsPoller; version: string }>();
  private readonly streams: StreamShardProcessor;
  private timer: NodeJS.Timeout | undefined;
  private syncing: Promise<void> = Promise.resolve();
  private stopped = false;
  /** Pollers of changed or removed mappings finishing their last batches. */
  private readonly retiring = new Set<Promise<void>>();

  constructor(private readonly deps: SupervisorDeps) {
    this.streams = new StreamShardProcessor({
      ...deps,
      invoke: (mapping, event) => this.invoke(mapping, event),
    });
    deps.mappings.onChange(() => {
      void this.sync();
      this.streams.wake();
    });
  }

  start(): void {
    void this.sync();
    this.streams.start();
    this.timer = setInterval(() => void this.sync(), resyncMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.syncing;
    for (const uuid of [...this.pollers.keys()]) this.retire(uuid);
    await Promise.all([...this.retiring, this.streams.stop()]);
  }

  /** Re-reads the mappings; runs one at a time, each after the previous. */
  sync(): Promise<void> {
    this.syncing = this.syncing
      .then(() => this.reconcile())
      .catch((err: unknown) => {
        this.deps.logger.warn({ err }, 'could not bring event source pollers up to date');
      });
    return this.syncing;
  }

  private async reconcile(): Promise<void> {
    if (this.stopped) return;
    const wanted = new Map<string, EventSourceMappingRow>();
    for (const row of await eventSourceQueries.enabled(this.deps.store)) {
      // Stream mappings have no poller of their own: their shards are claimed as work items.
      if (row.stream_settings === null) wanted.set(row.uuid, row);
    }
    for (const [uuid, running] of this.pollers) {
      const row = wanted.get(uuid);
      if (!row || versionOf(row) !== running.version) this.retire(uuid);
    }
    for (const [uuid, row] of wanted) {
      if (this.pollers.has(uuid) || this.stopped) continue;
      let queueUrl: string;
      try {
        queueUrl = (
          await this.deps.mappings.queueOf(row.event_source_arn, {
            accountId: row.account_id,
            region: row.region,
          })
        ).queueUrl;
      } catch (err) {
        // The queue is gone (or not yet visible here); the next re-read tries again.
        this.deps.logger.debug({ err, mapping: uuid }, 'event source not reachable');
        continue;
      }
      const poller = new SqsPoller(row, queueUrl, {
        services: this.deps.services,
        invoke: (mapping, event) => this.invoke(mapping, event),
        logger: this.deps.logger,
        defaultMaximumConcurrency: this.deps.maximumConcurrency(),
      });
      this.pollers.set(uuid, { poller, version: versionOf(row) });
      poller.start();
    }
  }

  /** Stops a mapping's poller without holding up the others: its batch in flight finishes on its own. */
  private retire(uuid: string): void {
    const running = this.pollers.get(uuid);
    if (!running) return;
    this.pollers.delete(uuid);
    const stopping = running.poller.stop().finally(() => this.retiring.delete(stopping));
    this.retiring.add(stopping);
  }

  private async invoke(mapping: EventSourceMappingRow, event: Buffer): Promise<InvocationAnswer> {
    const target = await resolveInvocationTarget(
      this.deps.store,
      { accountId: mapping.account_id, region: mapping.region },
      mapping.function_name,
      mapping.qualifier ?? undefined,
    );
    const requestId = randomUUID();
    // The batch is acknowledged once this returns: its log must be in the store by then.
    const { outcome } = await this.deps.invoker.run(target, event, requestId, { durableLogs: true });
    return {
      functionError: outcome.kind === 'error',
      payload: outcome.payload,
      requestId,
      executedVersion: target.executedVersion,
    };
  }
}

/** What a poller was started from; a mapping whose settings differ gets a new poller. */
function versionOf(row: EventSourceMappingRow): string {
  return `${row.last_modified}/${row.function_name}/${row.qualifier}/${row.batch_size}/${row.maximum_batching_window}/${row.function_response_types}/${row.maximum_concurrency}/${row.filter_criteria}`;
}
