/**
 * Amazon SQS operations, both wire forms (JSON and query) from one model. Each method names the
 * AWS operation and hands over to the queue, send, receive, acknowledge and move-task modules.
 * Other services call these in process with SDK-shaped input (SNS deliveries, Lambda pollers).
 *
 * Differences from AWS: queue policies are not enforced (Policy, and the statements
 * AddPermission writes, are stored and returned); KMS attributes are stored but messages are not
 * encrypted; FifoThroughputLimit and high-throughput mode are accepted but nothing is throttled;
 * SenderId is the caller's account id; message attribute list values are refused, as AWS does;
 * long polls re-check the store at least once a second, so a send on another node is seen within
 * that interval; ApproximateNumberOf* counters are exact.
 */
import type * as SQS from '@aws-sdk/client-sqs';
import type { ServiceError } from '../../protocol/errors.js';
import type { RequestContext } from '../service.js';
import type { Acknowledger } from './acknowledge.js';
import { batchError, checkBatch, checkBatchSize, entryBytes } from './batch.js';
import { InvalidParameterValue, invalidParameter } from './errors.js';
import type { MoveTasks } from './move-tasks.js';
import { addPermission, removePermission } from './permissions.js';
import type { Queues } from './queues.js';
import { receiveOptions, toMessage, type Receiver } from './receive.js';
import type { Sender } from './send.js';

const isError = (value: unknown): value is ServiceError => value instanceof Error;

function pageToken(name: string): string {
  return Buffer.from(JSON.stringify({ after: name })).toString('base64');
}

function afterToken(token: string | undefined): string {
  if (!token) return '';
  try {
    const { after } = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { after?: unknown };
    if (typeof after === 'string') return after;
  } catch {
    // fall through
  }
  throw new InvalidParameterValue('Invalid NextToken value.');
}

function pageSize(max: number | undefined): number {
  if (max === undefined) return 1000;
  if (!Number.isInteger(max) || max < 1 || max > 1000) {
    throw invalidParameter('MaxResults', max, 'MaxResults must be an integer between 1 and 1000.');
  }
  return max;
}

export class SqsProvider {
  constructor(
    private readonly queues: Queues,
    private readonly sender: Sender,
    private readonly receiver: Receiver,
    private readonly acknowledger: Acknowledger,
    private readonly moveTasks: MoveTasks,
  ) {}

  async CreateQueue(input: SQS.CreateQueueRequest, at: RequestContext): Promise<SQS.CreateQueueResult> {
    const queue = await this.queues.create(at, input.QueueName!, input.Attributes, input.tags);
    return { QueueUrl: this.queues.url(queue) };
  }

  async GetQueueUrl(input: SQS.GetQueueUrlRequest, at: RequestContext): Promise<SQS.GetQueueUrlResult> {
    const queue = await this.queues.byName(at, input.QueueName!, input.QueueOwnerAWSAccountId);
    return { QueueUrl: this.queues.url(queue) };
  }

  async ListQueues(input: SQS.ListQueuesRequest, at: RequestContext): Promise<SQS.ListQueuesResult> {
    const limit = pageSize(input.MaxResults);
    const page = await this.queues.list(
      at,
      input.QueueNamePrefix ?? '',
      afterToken(input.NextToken),
      limit + 1,
    );
    const shown = page.slice(0, limit);
    return {
      ...(shown.length > 0 ? { QueueUrls: shown.map((q) => this.queues.url(q)) } : {}),
      ...(input.MaxResults !== undefined && page.length > limit
        ? { NextToken: pageToken(shown.at(-1)!.name) }
        : {}),
    };
  }

  async DeleteQueue(input: SQS.DeleteQueueRequest, at: RequestContext): Promise<void> {
    await this.queues.delete(at, input.QueueUrl!);
  }

  async PurgeQueue(input: SQS.PurgeQueueRequest, at: RequestContext): Promise<void> {
    await this.queues.purge(at, input.QueueUrl!);
  }

  async GetQueueAttributes(
    input: SQS.GetQueueAttributesRequest,
    at: RequestContext,
  ): Promise<SQS.GetQueueAttributesResult> {
    const attributes = await this.queues.getAttributes(at, input.QueueUrl!, input.AttributeNames ?? []);
    return Object.keys(attributes).length > 0 ? { Attributes: attributes } : {};
  }

  async SetQueueAttributes(input: SQS.SetQueueAttributesRequest, at: RequestContext): Promise<void> {
    await this.queues.setAttributes(at, input.QueueUrl!, input.Attributes ?? {});
  }

  async SendMessage(input: SQS.SendMessageRequest, at: RequestContext): Promise<SQS.SendMessageResult> {
    const queue = await this.queues.forMessages(at, input.QueueUrl!);
    const [result] = await this.sender.send(queue, [input], at.accountId);
    if (isError(result)) throw result;
    return result!;
  }

  async SendMessageBatch(
    input: SQS.SendMessageBatchRequest,
    at: RequestContext,
  ): Promise<SQS.SendMessageBatchResult> {
    checkBatch(input.Entries, 'SendMessageBatchRequestEntry');
    const entries = input.Entries!;
    checkBatchSize(entries.reduce((sum, e) => sum + entryBytes(e), 0));
    const queue = await this.queues.forMessages(at, input.QueueUrl!);
    const results = await this.sender.send(queue, entries, at.accountId);
    const out: SQS.SendMessageBatchResult = { Successful: [], Failed: [] };
    results.forEach((r, i) => {
      const id = entries[i]!.Id!;
      if (isError(r)) out.Failed!.push(batchError(id, r));
      else out.Successful!.push({ Id: id, ...r });
    });
    return out;
  }

  async ReceiveMessage(
    input: SQS.ReceiveMessageRequest,
    at: RequestContext,
  ): Promise<SQS.ReceiveMessageResult> {
    const queue = await this.queues.forMessages(at, input.QueueUrl!);
    const options = receiveOptions(queue, input);
    const rows = await this.receiver.receive(queue, options);
    return rows.length > 0 ? { Messages: rows.map((row) => toMessage(queue, row, options)) } : {};
  }

  async DeleteMessage(input: SQS.DeleteMessageRequest, at: RequestContext): Promise<void> {
    const queue = await this.queues.forMessages(at, input.QueueUrl!);
    const [error] = await this.acknowledger.delete(queue, [input.ReceiptHandle!]);
    if (error) throw error;
  }

  async DeleteMessageBatch(
    input: SQS.DeleteMessageBatchRequest,
    at: RequestContext,
  ): Promise<SQS.DeleteMessageBatchResult> {
    checkBatch(input.Entries, 'DeleteMessageBatchRequestEntry');
    const entries = input.Entries!;
    const queue = await this.queues.forMessages(at, input.QueueUrl!);
    const results = await this.acknowledger.delete(
      queue,
      entries.map((e) => e.ReceiptHandle!),
    );
    return this.batchResult(entries, results);
  }

  async ChangeMessageVisibility(
    input: SQS.ChangeMessageVisibilityRequest,
    at: RequestContext,
  ): Promise<void> {
    const queue = await this.queues.forMessages(at, input.QueueUrl!);
    const [error] = await this.acknowledger.changeVisibility(queue, [
      { ReceiptHandle: input.ReceiptHandle!, VisibilityTimeout: input.VisibilityTimeout! },
    ]);
    if (error) throw error;
  }

  async ChangeMessageVisibilityBatch(
    input: SQS.ChangeMessageVisibilityBatchRequest,
    at: RequestContext,
  ): Promise<SQS.ChangeMessageVisibilityBatchResult> {
    checkBatch(input.Entries, 'ChangeMessageVisibilityBatchRequestEntry');
    const entries = input.Entries!;
    const queue = await this.queues.forMessages(at, input.QueueUrl!);
    const results = await this.acknowledger.changeVisibility(
      queue,
      entries.map((e) => ({ ReceiptHandle: e.ReceiptHandle!, VisibilityTimeout: e.VisibilityTimeout ?? 0 })),
    );
    return this.batchResult(entries, results);
  }

  async ListDeadLetterSourceQueues(
    input: SQS.ListDeadLetterSourceQueuesRequest,
    at: RequestContext,
  ): Promise<SQS.ListDeadLetterSourceQueuesResult> {
    const limit = pageSize(input.MaxResults);
    const after = afterToken(input.NextToken);
    const sources = (await this.queues.deadLetterSources(at, input.QueueUrl!)).filter((q) => q.name > after);
    const shown = sources.slice(0, limit);
    return {
      queueUrls: shown.map((q) => this.queues.url(q)),
      ...(input.MaxResults !== undefined && sources.length > limit
        ? { NextToken: pageToken(shown.at(-1)!.name) }
        : {}),
    };
  }

  async AddPermission(input: SQS.AddPermissionRequest, at: RequestContext): Promise<void> {
    await this.queues.changePolicy(at, input.QueueUrl!, (policy, arn) =>
      addPermission(policy, arn, input.Label!, input.AWSAccountIds ?? [], input.Actions ?? []),
    );
  }

  async RemovePermission(input: SQS.RemovePermissionRequest, at: RequestContext): Promise<void> {
    await this.queues.changePolicy(at, input.QueueUrl!, (policy, arn) =>
      removePermission(policy, arn, input.Label!),
    );
  }

  async TagQueue(input: SQS.TagQueueRequest, at: RequestContext): Promise<void> {
    await this.queues.changeTags(at, input.QueueUrl!, input.Tags ?? {}, []);
  }

  async UntagQueue(input: SQS.UntagQueueRequest, at: RequestContext): Promise<void> {
    await this.queues.changeTags(at, input.QueueUrl!, {}, input.TagKeys ?? []);
  }

  async ListQueueTags(input: SQS.ListQueueTagsRequest, at: RequestContext): Promise<SQS.ListQueueTagsResult> {
    const tags = await this.queues.tags(at, input.QueueUrl!);
    return Object.keys(tags).length > 0 ? { Tags: tags } : {};
  }

  async StartMessageMoveTask(
    input: SQS.StartMessageMoveTaskRequest,
  ): Promise<SQS.StartMessageMoveTaskResult> {
    return { TaskHandle: await this.moveTasks.start(input) };
  }

  async CancelMessageMoveTask(
    input: SQS.CancelMessageMoveTaskRequest,
  ): Promise<SQS.CancelMessageMoveTaskResult> {
    return { ApproximateNumberOfMessagesMoved: await this.moveTasks.cancel(input.TaskHandle!) };
  }

  async ListMessageMoveTasks(
    input: SQS.ListMessageMoveTasksRequest,
  ): Promise<SQS.ListMessageMoveTasksResult> {
    return { Results: await this.moveTasks.list(input.SourceArn!, input.MaxResults ?? 1) };
  }

  private batchResult(
    entries: readonly { Id?: string }[],
    results: readonly (ServiceError | undefined)[],
  ): { Successful: { Id: string }[]; Failed: SQS.BatchResultErrorEntry[] } {
    const out = { Successful: [] as { Id: string }[], Failed: [] as SQS.BatchResultErrorEntry[] };
    results.forEach((error, i) => {
      const id = entries[i]!.Id!;
      if (error) out.Failed.push(batchError(id, error));
      else out.Successful.push({ Id: id });
    });
    return out;
  }
}
