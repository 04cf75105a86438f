/**
 * Lambda's checks on an SQS event source mapping, made when it is created or updated: the queue
 * must exist, its visibility timeout must cover the function's timeout, FIFO queues take batches
 * of at most 10 and no batching window, and settings of stream and broker sources are refused.
 */
import type * as SQS from '@aws-sdk/client-sqs';
import { isServiceError } from '../../protocol/errors.js';
import { parseArn } from '../arn.js';
import type { ServiceCaller } from '../service.js';
import type { Region } from './arns.js';
import { InvalidParameterValueException } from './errors.js';

export const defaultSqsBatchSize = 10;
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

export function refuseStreamOnlyParameters(input: object): void {
  for (const name of streamOnlyParameters) {
    if ((input as Record<string, unknown>)[name] !== undefined) {
      throw new InvalidParameterValueException(
        `Unsupported ${name} parameter for given event source mapping type.`,
      );
    }
  }
}

/**
 * The queue an SQS ARN names, asked of SQS through its public API as Lambda's pollers do.
 * Lambda reports a queue it cannot read as an invalid parameter.
 */
export async function queueOf(
  services: ServiceCaller,
  eventSourceArn: string,
  at: Region,
): Promise<QueueInfo> {
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
    const { QueueUrl } = await services.call<SQS.GetQueueUrlResult>(
      'sqs',
      'GetQueueUrl',
      { QueueName: arn.resource, QueueOwnerAWSAccountId: arn.accountId },
      where,
    );
    const { Attributes = {} } = await services.call<SQS.GetQueueAttributesResult>(
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

export function checkBatching(queue: QueueInfo, batchSize: number, window: number): void {
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

export function checkVisibility(queue: QueueInfo, functionTimeout: number): void {
  if (queue.visibilityTimeout < functionTimeout) {
    throw new InvalidParameterValueException(
      `Queue visibility timeout: ${queue.visibilityTimeout} seconds is less than Function timeout: ${functionTimeout} seconds`,
    );
  }
}
