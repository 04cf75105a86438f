/**
 * Event source mappings: Lambda reading a queue and invoking a function with batches of its
 * messages. This module is the control plane (what a mapping is, Lambda's checks on it); the
 * pollers that do the reading are in sqs-poller.ts, kept in step by event-source-supervisor.ts.
 *
 * Lambda checks the queue when a mapping is created or updated: it must exist, its visibility
 * timeout must cover the function's timeout, and FIFO queues take batches of at most 10 and no
 * batching window. `FilterCriteria` are checked here and applied by the pollers
 * (event-filters.ts). States run `Creating` → `Enabled` (`Disabled`), `Updating`/`Enabling`/
 * `Disabling` → …, `Deleting`; Stratus applies a change at once, so responses show the transition
 * and the next read shows where it ended.
 */
import type * as Lambda from '@aws-sdk/client-lambda';
import type * as SQS from '@aws-sdk/client-sqs';
import { isServiceError } from '../../protocol/errors.js';
import { buildArn, parseArn } from '../arn.js';
import type { ServiceCaller } from '../service.js';
import { functionArn, parseFunctionName, type Region } from './arns.js';
import { requireFunction, resolveQualifier, type LambdaContext } from './context.js';
import { parseConfig } from './configuration.js';
import {
  InvalidParameterValueException,
  ResourceConflictException,
  ResourceNotFoundException,
} from './errors.js';
import { checkFilterCriteria } from './event-filters.js';
import { eventSourceQueries, filterCriteriaOf, type EventSourceMappingRow } from './event-source-tables.js';
import { pageOf } from './paging.js';

const defaultPageSize = 100;
const defaultBatchSize = 10;
const maxFifoBatchSize = 10;
const maxBatchWithoutWindow = 10;

/** Settings of stream and broker sources that an SQS mapping refuses, as Lambda does. */
const streamOnlyParameters = [
  'StartingPosition',
  'StartingPositionTimestamp',
  'ParallelizationFactor',
  'DestinationConfig',
  'MaximumRecordAgeInSeconds',
  'BisectBatchOnFunctionError',
  'MaximumRetryAttempts',
  'TumblingWindowInSeconds',
  'Topics',
  'Queues',
  'SourceAccessConfigurations',
  'SelfManagedEventSource',
  'AmazonManagedKafkaEventSourceConfig',
  'SelfManagedKafkaEventSourceConfig',
  'DocumentDBEventSourceConfig',
] as const;

/** What a queue looks like to a mapping. */
export interface QueueInfo {
  queueUrl: string;
  visibilityTimeout: number;
  fifo: boolean;
}

export type MappingListener = (uuid: string) => void;

const notFound = () => new ResourceNotFoundException('The resource you requested does not exist.');

export class EventSourceMappings {
  private listener: MappingListener = () => {};

  constructor(
    private readonly ctx: LambdaContext,
    private readonly services: ServiceCaller,
  ) {}

  /** The supervisor on this node hears of every change made here at once (others, by polling). */
  onChange(listener: MappingListener): void {
    this.listener = listener;
  }

  async create(
    input: Lambda.CreateEventSourceMappingRequest,
    at: Region,
  ): Promise<Lambda.EventSourceMappingConfiguration> {
    refuseStreamOnlyParameters(input);
    const filterCriteria = input.FilterCriteria ? storedFilterCriteria(input.FilterCriteria) : null;
    const ref = parseFunctionName(input.FunctionName!, at);
    const timeout = await this.functionTimeout(at, ref.name, ref.qualifier);
    const queue = await this.queueOf(input.EventSourceArn!, at);
    const batchSize = input.BatchSize ?? defaultBatchSize;
    const window = input.MaximumBatchingWindowInSeconds ?? 0;
    checkBatching(queue, batchSize, window);
    checkVisibility(queue, timeout);
    const existing = await eventSourceQueries.list(this.ctx.store, at, {
      eventSourceArn: input.EventSourceArn!,
      functionName: ref.name,
    });
    const duplicate = existing.find((row) => (row.qualifier ?? undefined) === ref.qualifier);
    if (duplicate) {
      throw new ResourceConflictException(
        `An event source mapping with SQS arn (" ${input.EventSourceArn} ") and function (" ${ref.name} ") already exists. Please update or delete the existing mapping with UUID ${duplicate.uuid}`,
      );
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
    };
    await eventSourceQueries.insert(this.ctx.store, row);
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
    refuseStreamOnlyParameters(input);
    // `{}` (or no filters) removes the filters; leaving FilterCriteria out keeps them.
    const filterCriteria = input.FilterCriteria ? storedFilterCriteria(input.FilterCriteria) : undefined;
    const current = await this.owned(input.UUID!, at);
    const ref = input.FunctionName
      ? parseFunctionName(input.FunctionName, at)
      : { name: current.function_name, qualifier: current.qualifier ?? undefined };
    const timeout = await this.functionTimeout(at, ref.name, ref.qualifier);
    const queue = await this.queueOf(current.event_source_arn, at);
    const batchSize = input.BatchSize ?? current.batch_size;
    const window = input.MaximumBatchingWindowInSeconds ?? current.maximum_batching_window;
    checkBatching(queue, batchSize, window);
    checkVisibility(queue, timeout);
    const enabled = input.Enabled ?? current.enabled === 1;
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
    };
    await eventSourceQueries.update(this.ctx.store, row);
    this.listener(row.uuid);
    const wasEnabled = current.enabled === 1;
    return render(row, enabled === wasEnabled ? 'Updating' : enabled ? 'Enabling' : 'Disabling');
  }

  async delete(uuid: string, at: Region): Promise<Lambda.EventSourceMappingConfiguration> {
    const row = await this.owned(uuid, at);
    await eventSourceQueries.delete(this.ctx.store, uuid);
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

  /**
   * The queue an SQS ARN names, asked of SQS through its public API as Lambda's pollers do.
   * Lambda reports a queue it cannot read as an invalid parameter.
   */
  async queueOf(eventSourceArn: string, at: Region): Promise<QueueInfo> {
    const arn = parseArn(eventSourceArn);
    if (arn?.service !== 'sqs') {
      throw new InvalidParameterValueException(
        'Unrecognized event source, must be kinesis, dynamodb stream or sqs. Unable to extract resource type.',
      );
    }
    if (arn.region !== at.region) {
      throw new InvalidParameterValueException(
        `The event source ${eventSourceArn} must be in the same region as the function (${at.region}).`,
      );
    }
    const where = { accountId: arn.accountId, region: arn.region };
    try {
      const { QueueUrl } = await this.services.call<SQS.GetQueueUrlResult>(
        'sqs',
        'GetQueueUrl',
        { QueueName: arn.resource, QueueOwnerAWSAccountId: arn.accountId },
        where,
      );
      const { Attributes = {} } = await this.services.call<SQS.GetQueueAttributesResult>(
        'sqs',
        'GetQueueAttributes',
        { QueueUrl, AttributeNames: ['VisibilityTimeout'] },
        where,
      );
      return {
        queueUrl: QueueUrl!,
        visibilityTimeout: Number(Attributes.VisibilityTimeout ?? 30),
        // SQS refuses to name FifoQueue for a standard queue; FIFO queues are the `.fifo` ones.
        fifo: arn.resource.endsWith('.fifo'),
      };
    } catch (err) {
      if (!isServiceError(err)) throw err;
      throw new InvalidParameterValueException(
        `Error occurred while ReceiveMessage. SQS Error Code: ${err.code}. SQS Error Message: ${err.message}`,
      );
    }
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

function refuseStreamOnlyParameters(input: object): void {
  for (const name of streamOnlyParameters) {
    if ((input as Record<string, unknown>)[name] !== undefined) {
      throw new InvalidParameterValueException(
        `Unsupported ${name} parameter for given event source mapping type.`,
      );
    }
  }
}

/** Checked FilterCriteria as the mapping's row keeps them: JSON, or null for none. */
function storedFilterCriteria(criteria: Lambda.FilterCriteria): string | null {
  const kept = checkFilterCriteria(criteria);
  return kept ? JSON.stringify(kept) : null;
}

function checkBatching(queue: QueueInfo, batchSize: number, window: number): void {
  if (queue.fifo) {
    if (batchSize > maxFifoBatchSize) {
      throw new InvalidParameterValueException(
        `BatchSize must be between 1 and ${maxFifoBatchSize} for FIFO queues.`,
      );
    }
    if (window > 0) {
      throw new InvalidParameterValueException('Batching window is not supported for FIFO queues.');
    }
  } else if (batchSize > maxBatchWithoutWindow && window === 0) {
    throw new InvalidParameterValueException(
      'Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10',
    );
  }
}

function checkVisibility(queue: QueueInfo, functionTimeout: number): void {
  if (queue.visibilityTimeout < functionTimeout) {
    throw new InvalidParameterValueException(
      `Queue visibility timeout: ${queue.visibilityTimeout} seconds is less than Function timeout: ${functionTimeout} seconds`,
    );
  }
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
  return {
    UUID: row.uuid,
    BatchSize: row.batch_size,
    MaximumBatchingWindowInSeconds: row.maximum_batching_window,
    EventSourceArn: row.event_source_arn,
    FunctionArn: functionArn(at, row.function_name, row.qualifier ?? undefined),
    LastModified: new Date(row.last_modified),
    State: state,
    StateTransitionReason: 'USER_INITIATED',
    FunctionResponseTypes: JSON.parse(row.function_response_types) as Lambda.FunctionResponseType[],
    ...(filterCriteria ? { FilterCriteria: filterCriteria } : {}),
    ...(row.maximum_concurrency !== null
      ? { ScalingConfig: { MaximumConcurrency: row.maximum_concurrency } }
      : {}),
    EventSourceMappingArn: mappingArn(row),
  };
}
