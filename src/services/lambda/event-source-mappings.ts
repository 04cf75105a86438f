/**
 * Event source mappings: Lambda reading a queue or a DynamoDB stream and invoking a function with
 * batches of its messages or records. This module is the control plane (what a mapping is,
 * Lambda's checks on it: sqs-mapping.ts for queues, stream-mapping.ts for streams); the pollers
 * that do the reading are in sqs-poller.ts and stream-shards.ts.
 *
 * `FilterCriteria` are checked here and applied by the pollers (event-filters.ts). States run
 * `Creating` → `Enabled` (`Disabled`), `Updating`/`Enabling`/`Disabling` → …, `Deleting`;
 * Stratus applies a change at once, so responses show the transition and the next read shows
 * where it ended. A stream mapping fixes where it starts reading when it is created, and keeps
 * its place per shard (stream-checkpoints.ts), which survives disabling and enabling it.
 */
import type * as Lambda from '@aws-sdk/client-lambda';
import type { WorkQueue } from '../../storage/work-queue.js';
import { buildArn } from '../arn.js';
import type { ServiceCaller } from '../service.js';
import { functionArn, parseFunctionName, type FunctionRef, type Region } from './arns.js';
import { requireFunction, resolveQualifier, type LambdaContext } from './context.js';
import { parseConfig } from './configuration.js';
import { ResourceConflictException, ResourceNotFoundException } from './errors.js';
import { checkFilterCriteria } from './event-filters.js';
import {
  eventSourceQueries,
  filterCriteriaOf,
  streamSettingsOf,
  type EventSourceMappingRow,
} from './event-source-tables.js';
import { pageOf } from './paging.js';
import {
  checkBatching,
  checkVisibility,
  defaultSqsBatchSize,
  queueOf,
  refuseStreamOnlyParameters,
} from './sqs-mapping.js';
import { streamShardQueries, type ShardStart } from './stream-checkpoints.js';
import {
  defaultStreamBatchSize,
  describeStream,
  initialShards,
  isDynamoDbStreamArn,
  streamFields,
  streamSettingsFor,
} from './stream-mapping.js';

const defaultPageSize = 100;

export type MappingListener = (uuid: string) => void;

const notFound = () => new ResourceNotFoundException('The resource you requested does not exist.');

export class EventSourceMappings {
  private listener: MappingListener = () => {};

  constructor(
    private readonly ctx: LambdaContext,
    private readonly services: ServiceCaller,
    private readonly workQueue: WorkQueue,
  ) {}

  /** The supervisor on this node hears of every change made here at once (others, by polling). */
  onChange(listener: MappingListener): void {
    this.listener = listener;
  }

  async create(
    input: Lambda.CreateEventSourceMappingRequest,
    at: Region,
  ): Promise<Lambda.EventSourceMappingConfiguration> {
    const stream = isDynamoDbStreamArn(input.EventSourceArn!);
    const settings = stream ? streamSettingsFor(input) : undefined;
    if (!stream) refuseStreamOnlyParameters(input);
    const filterCriteria = input.FilterCriteria ? storedFilterCriteria(input.FilterCriteria) : null;
    const ref = parseFunctionName(input.FunctionName!, at);
    const timeout = await this.functionTimeout(at, ref.name, ref.qualifier);
    const window = input.MaximumBatchingWindowInSeconds ?? 0;
    let batchSize: number;
    let shards: ShardStart[] = [];
    if (settings) {
      batchSize = input.BatchSize ?? defaultStreamBatchSize;
      const { Shards } = await describeStream(this.services, input.EventSourceArn!);
      await this.refuseDuplicate(input.EventSourceArn!, ref, at, true);
      shards = await initialShards(this.services, input.EventSourceArn!, Shards, settings.StartingPosition);
    } else {
      const queue = await queueOf(this.services, input.EventSourceArn!, at);
      batchSize = input.BatchSize ?? defaultSqsBatchSize;
      checkBatching(queue, batchSize, window);
      checkVisibility(queue, timeout);
      await this.refuseDuplicate(input.EventSourceArn!, ref, at, false);
    }
    const enabled = input.Enabled ?? true;
    const row: EventSourceMappingRow = {
      uuid: this.ctx.newId(),
      account_id: at.accountId,
      region: at.region,
      function_name: ref.name,
      qualifier: ref.qualifier ?? null,
      event_source_arn: input.EventSourceArn!,
      batch_size: batchSize,
      maximum_batching_window: window,
      enabled: enabled ? 1 : 0,
      state: enabled ? 'Enabled' : 'Disabled',
      function_response_types: JSON.stringify(input.FunctionResponseTypes ?? []),
      maximum_concurrency: input.ScalingConfig?.MaximumConcurrency ?? null,
      tags: JSON.stringify(input.Tags ?? {}),
      last_modified: this.ctx.clock.now(),
      filter_criteria: filterCriteria,
      stream_settings: settings ? JSON.stringify(settings) : null,
      last_processing_result: null,
    };
    await this.ctx.store.transaction(async (tx) => {
      await eventSourceQueries.insert(tx, row);
      // A disabled mapping keeps its starting place for when it is enabled.
      await streamShardQueries.add(tx, this.workQueue, row.uuid, shards, { enqueue: enabled });
    });
    this.listener(row.uuid);
    return render(row, 'Creating');
  }

  async get(uuid: string, at: Region): Promise<Lambda.EventSourceMappingConfiguration> {
    return render(await this.owned(uuid, at));
  }

  async update(
    input: Lambda.UpdateEventSourceMappingRequest,
    at: Region,
  ): Promise<Lambda.EventSourceMappingConfiguration> {
    const current = await this.owned(input.UUID!, at);
    const currentSettings = streamSettingsOf(current);
    const settings = currentSettings ? streamSettingsFor(input, currentSettings) : undefined;
    if (!settings) refuseStreamOnlyParameters(input);
    // `{}` (or no filters) removes the filters; leaving FilterCriteria out keeps them.
    const filterCriteria = input.FilterCriteria ? storedFilterCriteria(input.FilterCriteria) : undefined;
    const ref = input.FunctionName
      ? parseFunctionName(input.FunctionName, at)
      : { name: current.function_name, qualifier: current.qualifier ?? undefined };
    const timeout = await this.functionTimeout(at, ref.name, ref.qualifier);
    const batchSize = input.BatchSize ?? current.batch_size;
    const window = input.MaximumBatchingWindowInSeconds ?? current.maximum_batching_window;
    if (!settings) {
      const queue = await queueOf(this.services, current.event_source_arn, at);
      checkBatching(queue, batchSize, window);
      checkVisibility(queue, timeout);
    }
    const enabled = input.Enabled ?? current.enabled === 1;
    const wasEnabled = current.enabled === 1;
    const row: EventSourceMappingRow = {
      ...current,
      function_name: ref.name,
      qualifier: ref.qualifier ?? null,
      batch_size: batchSize,
      maximum_batching_window: window,
      enabled: enabled ? 1 : 0,
      state: enabled ? 'Enabled' : 'Disabled',
      function_response_types:
        input.FunctionResponseTypes !== undefined
          ? JSON.stringify(input.FunctionResponseTypes)
          : current.function_response_types,
      // An empty ScalingConfig removes the limit.
      maximum_concurrency:
        input.ScalingConfig !== undefined
          ? (input.ScalingConfig.MaximumConcurrency ?? null)
          : current.maximum_concurrency,
      last_modified: this.ctx.clock.now(),
      filter_criteria: filterCriteria === undefined ? current.filter_criteria : filterCriteria,
      stream_settings: settings ? JSON.stringify(settings) : null,
    };
    await this.ctx.store.transaction(async (tx) => {
      await eventSourceQueries.update(tx, row);
      if (settings && enabled && !wasEnabled) {
        await streamShardQueries.resume(tx, this.workQueue, this.ctx.store.dialect.forUpdate, row.uuid);
      }
    });
    this.listener(row.uuid);
    return render(row, enabled === wasEnabled ? 'Updating' : enabled ? 'Enabling' : 'Disabling');
  }

  async delete(uuid: string, at: Region): Promise<Lambda.EventSourceMappingConfiguration> {
    const row = await this.owned(uuid, at);
    await this.ctx.store.transaction(async (tx) => {
      await eventSourceQueries.delete(tx, uuid);
      await streamShardQueries.deleteForMapping(tx, uuid);
    });
    this.listener(uuid);
    return render(row, 'Deleting');
  }

  async list(
    input: Lambda.ListEventSourceMappingsRequest,
    at: Region,
  ): Promise<Lambda.ListEventSourceMappingsResponse> {
    const ref = input.FunctionName ? parseFunctionName(input.FunctionName, at) : undefined;
    const rows = (
      await eventSourceQueries.list(this.ctx.store, at, {
        ...(input.EventSourceArn !== undefined ? { eventSourceArn: input.EventSourceArn } : {}),
        ...(ref ? { functionName: ref.name } : {}),
      })
    ).filter((row) => ref?.qualifier === undefined || row.qualifier === ref.qualifier);
    const { page, nextMarker } = pageOf(
      rows,
      (row) => row.uuid,
      input.Marker,
      input.MaxItems ?? defaultPageSize,
    );
    return {
      EventSourceMappings: page.map((row) => render(row)),
      ...(nextMarker ? { NextMarker: nextMarker } : {}),
    };
  }

  /** The queue an SQS mapping reads (its pollers need its URL). */
  queueOf(eventSourceArn: string, at: Region) {
    return queueOf(this.services, eventSourceArn, at);
  }

  private async refuseDuplicate(eventSourceArn: string, ref: FunctionRef, at: Region, stream: boolean) {
    const existing = await eventSourceQueries.list(this.ctx.store, at, {
      eventSourceArn,
      functionName: ref.name,
    });
    const duplicate = existing.find((row) => (row.qualifier ?? undefined) === ref.qualifier);
    if (!duplicate) return;
    throw new ResourceConflictException(
      stream
        ? `The event source arn (" ${eventSourceArn} ") and function (" ${ref.name} ") provided mapping already exists. Please update or delete the existing mapping with UUID ${duplicate.uuid}`
        : `An event source mapping with SQS arn (" ${eventSourceArn} ") and function (" ${ref.name} ") already exists. Please update or delete the existing mapping with UUID ${duplicate.uuid}`,
    );
  }

  private async functionTimeout(at: Region, name: string, qualifier: string | undefined): Promise<number> {
    const fn = await requireFunction(this.ctx.store, at, name, qualifier);
    const { version } = await resolveQualifier(this.ctx.store, at, fn, qualifier);
    return parseConfig(version).timeout;
  }

  private async owned(uuid: string, at: Region): Promise<EventSourceMappingRow> {
    const row = await eventSourceQueries.get(this.ctx.store, uuid);
    if (!row || row.account_id !== at.accountId || row.region !== at.region) throw notFound();
    return row;
  }
}

/** Checked FilterCriteria as the mapping's row keeps them: JSON, or null for none. */
function storedFilterCriteria(criteria: Lambda.FilterCriteria): string | null {
  const kept = checkFilterCriteria(criteria);
  return kept ? JSON.stringify(kept) : null;
}

export function mappingArn(row: Pick<EventSourceMappingRow, 'account_id' | 'region' | 'uuid'>): string {
  return buildArn({
    service: 'lambda',
    region: row.region,
    accountId: row.account_id,
    resource: `event-source-mapping:${row.uuid}`,
  });
}

function render(row: EventSourceMappingRow, state = row.state): Lambda.EventSourceMappingConfiguration {
  const at = { accountId: row.account_id, region: row.region };
  const filterCriteria = filterCriteriaOf(row);
  const settings = streamSettingsOf(row);
  return {
    UUID: row.uuid,
    BatchSize: row.batch_size,
    MaximumBatchingWindowInSeconds: row.maximum_batching_window,
    EventSourceArn: row.event_source_arn,
    FunctionArn: functionArn(at, row.function_name, row.qualifier ?? undefined),
    LastModified: new Date(row.last_modified),
    State: state,
    // Lambda words the same reason differently for queues and streams.
    StateTransitionReason: settings ? 'User action' : 'USER_INITIATED',
    FunctionResponseTypes: JSON.parse(row.function_response_types) as Lambda.FunctionResponseType[],
    ...(filterCriteria ? { FilterCriteria: filterCriteria } : {}),
    ...(row.maximum_concurrency !== null
      ? { ScalingConfig: { MaximumConcurrency: row.maximum_concurrency } }
      : {}),
    ...(settings
      ? {
          ...streamFields(settings),
          LastProcessingResult: row.last_processing_result ?? 'No records processed',
        }
      : {}),
    EventSourceMappingArn: mappingArn(row),
  };
}
