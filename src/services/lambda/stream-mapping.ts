/**
 * The control plane of DynamoDB stream event source mappings: Lambda's checks on their settings,
 * their defaults, and the shards a new mapping starts reading. The stream is reached through
 * DynamoDB Streams' public operations (DescribeStream, GetShardIterator, GetRecords), as Lambda's
 * pollers reach it.
 *
 * StartingPosition is required and is TRIM_HORIZON (every shard from its oldest record, parents
 * before children) or LATEST (the open shard, after its last record when the mapping is
 * created); AT_TIMESTAMP is Kinesis's only.
 */
import type * as Streams from '@aws-sdk/client-dynamodb-streams';
import type * as Lambda from '@aws-sdk/client-lambda';
import { compilePattern } from '../../patterns/index.js';
import { isServiceError } from '../../protocol/errors.js';
import { parseArn } from '../arn.js';
import type { ServiceCaller } from '../service.js';
import type { Region } from './arns.js';
import { InvalidParameterValueException } from './errors.js';
import { patternDataFormats } from './event-filters.js';
import type { ShardStart } from './stream-checkpoints.js';

export const defaultStreamBatchSize = 100;

/** What a stream mapping keeps beyond what every mapping has (the row's `stream_settings`). */
export interface StreamSettings {
  StartingPosition: 'TRIM_HORIZON' | 'LATEST';
  ParallelizationFactor: number;
  BisectBatchOnFunctionError: boolean;
  MaximumRetryAttempts: number;
  MaximumRecordAgeInSeconds: number;
  TumblingWindowInSeconds: number;
  OnFailure?: string;
}

/** Settings only queue and broker sources take, refused for a stream as Lambda refuses them. */
const queueOnlyParameters = [
  'ScalingConfig',
  'Topics',
  'Queues',
  'SourceAccessConfigurations',
  'SelfManagedEventSource',
  'AmazonManagedKafkaEventSourceConfig',
  'SelfManagedKafkaEventSourceConfig',
  'DocumentDBEventSourceConfig',
] as const;

const destinationServices = new Set(['sqs', 'sns']);

export function isDynamoDbStreamArn(eventSourceArn: string): boolean {
  const arn = parseArn(eventSourceArn);
  return arn?.service === 'dynamodb' && /^table\/[^/]+\/stream\/.+/.test(arn.resource);
}

type StreamInput = Lambda.CreateEventSourceMappingRequest | Lambda.UpdateEventSourceMappingRequest;

/**
 * Checks a create (no `current`) or update of a stream mapping and returns the settings it
 * leaves; what an update leaves out stays as it was.
 */
export function streamSettingsFor(input: StreamInput, current?: StreamSettings): StreamSettings {
  for (const name of queueOnlyParameters) {
    if ((input as unknown as Record<string, unknown>)[name] !== undefined) {
      throw new InvalidParameterValueException(
        `Unsupported ${name} parameter for given event source mapping type.`,
      );
    }
  }
  if (input.FilterCriteria) checkStreamFilters(input.FilterCriteria);
  const maxAge = input.MaximumRecordAgeInSeconds;
  if (maxAge !== undefined && maxAge !== -1 && maxAge < 60) {
    throw new InvalidParameterValueException(
      'MaximumRecordAgeInSeconds must be either -1 (forever) or between 60 and 604800 (inclusive)',
    );
  }
  return {
    StartingPosition:
      current?.StartingPosition ?? startingPosition(input as Lambda.CreateEventSourceMappingRequest),
    ParallelizationFactor: input.ParallelizationFactor ?? current?.ParallelizationFactor ?? 1,
    BisectBatchOnFunctionError:
      input.BisectBatchOnFunctionError ?? current?.BisectBatchOnFunctionError ?? false,
    MaximumRetryAttempts: input.MaximumRetryAttempts ?? current?.MaximumRetryAttempts ?? -1,
    MaximumRecordAgeInSeconds: maxAge ?? current?.MaximumRecordAgeInSeconds ?? -1,
    TumblingWindowInSeconds: input.TumblingWindowInSeconds ?? current?.TumblingWindowInSeconds ?? 0,
    ...onFailure(input.DestinationConfig, current?.OnFailure),
  };
}

function startingPosition(input: Lambda.CreateEventSourceMappingRequest): StreamSettings['StartingPosition'] {
  const position = input.StartingPosition;
  if (position === undefined) {
    throw new InvalidParameterValueException(
      "1 validation error detected: Value null at 'startingPosition' failed to satisfy constraint: Member must not be null.",
    );
  }
  if (position !== 'TRIM_HORIZON' && position !== 'LATEST') {
    throw new InvalidParameterValueException(
      `Unsupported starting position for arn type: ${input.EventSourceArn}`,
    );
  }
  return position;
}

/** Lambda refuses a filter testing `dynamodb` as a plain value: a stream record's data is always JSON. */
function checkStreamFilters(criteria: Lambda.FilterCriteria): void {
  for (const { Pattern } of criteria.Filters ?? []) {
    if (Pattern === undefined) continue;
    let plain: boolean;
    try {
      plain = patternDataFormats(compilePattern(Pattern, { dialect: 'event-source' }), 'dynamodb').has(
        'plain',
      );
    } catch {
      // Left for checkFilterCriteria, which refuses it in Lambda's words.
      continue;
    }
    if (plain) throw new InvalidParameterValueException('Invalid filter pattern definition.');
  }
}

/** A stream mapping sends discarded records to an SQS queue or SNS topic (`{}` removes it). */
function onFailure(config: Lambda.DestinationConfig | undefined, current: string | undefined) {
  if (config === undefined) return current === undefined ? {} : { OnFailure: current };
  const success = config.OnSuccess?.Destination;
  const failure = config.OnFailure?.Destination;
  const service = failure ? parseArn(failure)?.service : undefined;
  if (success || (failure && !destinationServices.has(service ?? ''))) {
    const part = (name: string, d: string | undefined) => (d ? `${name}(destination=${d})` : 'null');
    throw new InvalidParameterValueException(
      `The provided destination config DestinationConfig(onSuccess=${part('OnSuccess', success)}, onFailure=${part('OnFailure', failure)}) is invalid.`,
    );
  }
  return failure ? { OnFailure: failure } : {};
}

/** What GetEventSourceMapping shows of a stream mapping beyond the common members. */
export function streamFields(settings: StreamSettings): Partial<Lambda.EventSourceMappingConfiguration> {
  return {
    StartingPosition: settings.StartingPosition,
    ParallelizationFactor: settings.ParallelizationFactor,
    BisectBatchOnFunctionError: settings.BisectBatchOnFunctionError,
    MaximumRetryAttempts: settings.MaximumRetryAttempts,
    MaximumRecordAgeInSeconds: settings.MaximumRecordAgeInSeconds,
    TumblingWindowInSeconds: settings.TumblingWindowInSeconds,
    DestinationConfig: { OnFailure: settings.OnFailure ? { Destination: settings.OnFailure } : {} },
  };
}

export function streamWhere(streamArn: string): Region {
  const arn = parseArn(streamArn)!;
  return { accountId: arn.accountId, region: arn.region };
}

/** The stream's description with every shard, or Lambda's error for a stream that is not there. */
export async function describeStream(
  services: ServiceCaller,
  streamArn: string,
): Promise<Streams.StreamDescription & { Shards: Streams.Shard[] }> {
  const shards: Streams.Shard[] = [];
  let description: Streams.StreamDescription | undefined;
  let start: string | undefined;
  try {
    do {
      const page = await services.call<Streams.DescribeStreamOutput>(
        'dynamodbstreams',
        'DescribeStream',
        { StreamArn: streamArn, ...(start ? { ExclusiveStartShardId: start } : {}) },
        streamWhere(streamArn),
      );
      description = page.StreamDescription!;
      shards.push(...(description.Shards ?? []));
      start = description.LastEvaluatedShardId;
    } while (start);
  } catch (err) {
    if (isServiceError(err) && err.code === 'ResourceNotFoundException') {
      throw new InvalidParameterValueException(`Stream not found: ${streamArn}`);
    }
    throw err;
  }
  return { ...description, Shards: shards };
}

/** The shards a new mapping starts with: the roots (TRIM_HORIZON), or the open shards after their last record (LATEST). */
export async function initialShards(
  services: ServiceCaller,
  streamArn: string,
  shards: readonly Streams.Shard[],
  position: StreamSettings['StartingPosition'],
): Promise<ShardStart[]> {
  const known = new Set(shards.map((s) => s.ShardId));
  if (position === 'TRIM_HORIZON') {
    return shards
      .filter((s) => !s.ParentShardId || !known.has(s.ParentShardId))
      .map((s) => ({ shardId: s.ShardId!, parentShardId: s.ParentShardId ?? null, startAfter: null }));
  }
  const open = shards.filter((s) => s.SequenceNumberRange?.EndingSequenceNumber === undefined);
  return Promise.all(
    open.map(async (s) => ({
      shardId: s.ShardId!,
      parentShardId: s.ParentShardId ?? null,
      startAfter: await lastSequenceNumber(services, streamArn, s.ShardId!),
    })),
  );
}

/**
 * The sequence number of an open shard's newest record (null while it has none): the Streams API
 * gives positions only as iterators, so the shard is read to its end once.
 */
async function lastSequenceNumber(
  services: ServiceCaller,
  streamArn: string,
  shardId: string,
): Promise<string | null> {
  const where = streamWhere(streamArn);
  let { ShardIterator: iterator } = await services.call<Streams.GetShardIteratorOutput>(
    'dynamodbstreams',
    'GetShardIterator',
    { StreamArn: streamArn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' },
    where,
  );
  let last: string | null = null;
  while (iterator) {
    const page = await services.call<Streams.GetRecordsOutput>(
      'dynamodbstreams',
      'GetRecords',
      { ShardIterator: iterator },
      where,
    );
    const records = page.Records ?? [];
    if (records.length === 0) break;
    last = records[records.length - 1]!.dynamodb!.SequenceNumber!;
    iterator = page.NextShardIterator;
  }
  return last;
}

/** A finished shard's children, to be read next. */
export function childShards(shards: readonly Streams.Shard[], parentShardId: string): ShardStart[] {
  return shards
    .filter((s) => s.ParentShardId === parentShardId)
    .map((s) => ({ shardId: s.ShardId!, parentShardId, startAfter: null }));
}
