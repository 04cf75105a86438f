/**
 * Invoking a schedule's target through the ServiceCaller: templated targets (Lambda async
 * Invoke, SQS SendMessage — FIFO with SqsParameters' MessageGroupId —, SNS Publish, EventBridge
 * PutEvents with EventBridgeParameters) get `Input` as it is; the universal target
 * `arn:aws:scheduler:::aws-sdk:<service>:<apiAction>` calls that operation with `Input` as its
 * parameters. Failures are retried on the target's RetryPolicy (the Scheduler's defaults: 185
 * retries, 24 hours), then sent to its DeadLetterConfig queue.
 */
import { createHash } from 'node:crypto';
import type * as Scheduler from '@aws-sdk/client-scheduler';
import type { ServiceCaller } from '../service.js';
import { parseArn } from '../arn.js';
import type { Region } from '../events/arns.js';

export interface Invocation {
  scheduleArn: string;
  at: Region;
  target: Scheduler.Target;
  /** The time the schedule was due (a flexible window may run it later). */
  dueAt: number;
  retries: number;
}

const universal = /^arn:aws[\w-]*:scheduler:::aws-sdk:([\w-]+):(\w+)$/;

export async function invoke(services: ServiceCaller, invocation: Invocation): Promise<void> {
  const { target } = invocation;
  const input = target.Input ?? '';
  const sdk = universal.exec(target.Arn!);
  if (sdk) {
    const [, service, action] = sdk as unknown as [string, string, string];
    const operation = action.charAt(0).toUpperCase() + action.slice(1);
    await services.call(service, operation, input ? (JSON.parse(input) as object) : {}, invocation.at);
    return;
  }
  const arn = parseArn(target.Arn!);
  if (!arn) throw new Error(`Stratus does not invoke ${target.Arn}.`);
  const at = { accountId: arn.accountId, region: arn.region };
  switch (arn.service) {
    case 'sqs':
      return sendToQueue(services, target.Arn!, input, invocation, target.SqsParameters);
    case 'sns':
      await services.call('sns', 'Publish', { TopicArn: target.Arn, Message: input }, at);
      return;
    case 'lambda':
      await services.call(
        'lambda',
        'Invoke',
        { FunctionName: target.Arn, InvocationType: 'Event', Payload: Buffer.from(input) },
        at,
      );
      return;
    case 'events': {
      const parameters = target.EventBridgeParameters;
      await services.call(
        'events',
        'PutEvents',
        {
          Entries: [
            {
              EventBusName: target.Arn,
              Source: parameters?.Source,
              DetailType: parameters?.DetailType,
              Detail: input,
            },
          ],
        },
        at,
      );
      return;
    }
    default:
      throw new Error(`Stratus does not invoke ${arn.service} targets.`);
  }
}

export async function sendToQueue(
  services: ServiceCaller,
  queueArn: string,
  body: string,
  invocation: Invocation,
  parameters?: Scheduler.SqsParameters,
  attributes?: Record<string, { DataType: string; StringValue: string }>,
): Promise<void> {
  const arn = parseArn(queueArn)!;
  const at = { accountId: arn.accountId, region: arn.region };
  const { QueueUrl } = await services.call<{ QueueUrl: string }>(
    'sqs',
    'GetQueueUrl',
    { QueueName: arn.resource, QueueOwnerAWSAccountId: arn.accountId },
    at,
  );
  const fifo = arn.resource.endsWith('.fifo');
  // A FIFO queue without content-based deduplication needs an id: one per schedule and due time.
  const dedup = createHash('sha256').update(`${invocation.scheduleArn}@${invocation.dueAt}`).digest('hex');
  await services.call(
    'sqs',
    'SendMessage',
    {
      QueueUrl,
      MessageBody: body,
      ...(fifo
        ? { MessageGroupId: parameters?.MessageGroupId ?? 'default', MessageDeduplicationId: dedup }
        : {}),
      ...(attributes ? { MessageAttributes: attributes } : {}),
    },
    at,
  );
}
