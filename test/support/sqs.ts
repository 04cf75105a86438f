/** Shared set-up for the SQS end-to-end tests: a started Stratus with a ManualClock and an SQS client. */
import {
  CreateQueueCommand,
  ReceiveMessageCommand,
  SQSClient,
  type ReceiveMessageResult,
} from '@aws-sdk/client-sqs';
import { ManualClock } from '../../src/engine/clock.js';
import { startTestStratus, type TestStratus } from './stratus.js';

export const t0 = Date.UTC(2026, 10, 1, 12, 0, 0);

/** The ARN of a queue of the default test account in us-east-1. */
export const queueArn = (name: string) => `arn:aws:sqs:us-east-1:000000000000:${name}`;

/** Creates a queue by name; its URL. */
export async function createQueue(
  sqs: SQSClient,
  name: string,
  attributes: Record<string, string> = {},
): Promise<string> {
  return (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }))).QueueUrl!;
}

export interface SqsTest {
  stratus: TestStratus;
  sqs: SQSClient;
  clock: ManualClock;
  /** A new standard queue with a name of its own (`m1`, `m2` …); its URL. */
  queue(attributes?: Record<string, string>): Promise<string>;
  /** ReceiveMessage of up to 10 messages, with any other parameters. */
  receive(
    queueUrl: string,
    extra?: Partial<ConstructorParameters<typeof ReceiveMessageCommand>[0]>,
  ): Promise<ReceiveMessageResult>;
  close(): Promise<void>;
}

export async function startSqsTest(): Promise<SqsTest> {
  const clock = new ManualClock(t0);
  const stratus = await startTestStratus({ clock });
  const sqs = new SQSClient(stratus.clientConfig);
  let n = 0;
  return {
    stratus,
    sqs,
    clock,
    queue: async (Attributes) =>
      (await sqs.send(new CreateQueueCommand({ QueueName: `m${++n}`, Attributes }))).QueueUrl!,
    receive: (QueueUrl, extra = {}) =>
      sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, ...extra })),
    close: async () => {
      sqs.destroy();
      await stratus.close();
    },
  };
}

/** The rejection of a promise that must fail, for asserting on its class, message and status. */
export async function failure(
  promise: Promise<unknown>,
): Promise<Error & { $metadata: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (err) {
    return err as Error & { $metadata: { httpStatusCode?: number } };
  }
  throw new Error('expected the call to fail');
}
