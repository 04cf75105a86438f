/**
 * Where asynchronous invocations report: OnSuccess / OnFailure destinations receive Lambda's
 * invocation record, a function's dead-letter queue receives the original event of one that
 * failed for good. Targets are other functions (queued as async invocations), SQS queues and SNS
 * topics, reached through their services' public operations as Lambda reaches them.
 */
import { randomUUID } from 'node:crypto';
import type * as SNS from '@aws-sdk/client-sns';
import type * as SQS from '@aws-sdk/client-sqs';
import { parseArn, type ParsedArn } from '../arn.js';
import type { ServiceCaller } from '../service.js';
import type { AsyncInvocation } from './invoke.js';

export interface DestinationDeps {
  services: ServiceCaller;
  /** Queues an async invocation of a function (a `lambda` destination). */
  enqueue(invocation: AsyncInvocation): Promise<void>;
  now(): number;
}

/** Message attributes Lambda puts on what it sends to a dead-letter queue or topic. */
export interface DeadLetterAttributes {
  RequestID: string;
  ErrorCode: string;
  ErrorMessage: string;
}

export class UnsupportedDestination extends Error {
  constructor(readonly arn: string) {
    super(`Stratus cannot deliver to ${arn} yet`);
  }
}

/** Sends an invocation record (JSON) to a destination ARN. */
export async function sendToDestination(
  deps: DestinationDeps,
  destination: string,
  record: string,
): Promise<void> {
  const arn = parseArn(destination);
  if (!arn) throw new UnsupportedDestination(destination);
  if (arn.service === 'lambda') {
    const [name, qualifier] = arn.resource.replace(/^function:/, '').split(':');
    await deps.enqueue({
      at: { accountId: arn.accountId, region: arn.region },
      functionName: name!,
      ...(qualifier ? { qualifier } : {}),
      requestId: randomUUID(),
      payload: Buffer.from(record).toString('base64'),
      acceptedAt: deps.now(),
    });
    return;
  }
  await sendMessage(deps, arn, destination, record);
}

/** Sends a failed event's payload to a dead-letter queue or topic, with Lambda's attributes. */
export async function sendToDeadLetter(
  deps: DestinationDeps,
  target: string,
  payload: string,
  attributes: DeadLetterAttributes,
): Promise<void> {
  const arn = parseArn(target);
  if (!arn || (arn.service !== 'sqs' && arn.service !== 'sns')) throw new UnsupportedDestination(target);
  await sendMessage(deps, arn, target, payload, attributes);
}

async function sendMessage(
  deps: DestinationDeps,
  arn: ParsedArn,
  destination: string,
  body: string,
  attributes?: DeadLetterAttributes,
): Promise<void> {
  const where = { accountId: arn.accountId, region: arn.region };
  const messageAttributes = attributes
    ? Object.fromEntries(
        Object.entries(attributes).map(([name, value]) => [name, { DataType: 'String', StringValue: value }]),
      )
    : undefined;
  if (arn.service === 'sqs') {
    const { QueueUrl } = await deps.services.call<SQS.GetQueueUrlResult>(
      'sqs',
      'GetQueueUrl',
      { QueueName: arn.resource, QueueOwnerAWSAccountId: arn.accountId },
      where,
    );
    const fifo = arn.resource.endsWith('.fifo');
    await deps.services.call<SQS.SendMessageResult>(
      'sqs',
      'SendMessage',
      {
        QueueUrl,
        MessageBody: body,
        ...(messageAttributes ? { MessageAttributes: messageAttributes } : {}),
        // Lambda's records to a FIFO queue form one group, each its own deduplication id.
        ...(fifo ? { MessageGroupId: 'lambda', MessageDeduplicationId: randomUUID() } : {}),
      },
      where,
    );
    return;
  }
  if (arn.service === 'sns') {
    await deps.services.call<SNS.PublishResponse>(
      'sns',
      'Publish',
      {
        TopicArn: destination,
        Message: body,
        ...(messageAttributes ? { MessageAttributes: messageAttributes } : {}),
      },
      where,
    );
    return;
  }
  throw new UnsupportedDestination(destination);
}
