/**
 * Shared helpers of the EventBridge end-to-end tests: queues to observe deliveries, rules with
 * targets, and an HTTP endpoint for API destinations.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  PutRuleCommand,
  PutTargetsCommand,
  type EventBridgeClient,
  type Target,
} from '@aws-sdk/client-eventbridge';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { expect } from 'vitest';
import { eventually } from './sns-endpoint.js';

export interface TestQueue {
  url: string;
  arn: string;
}

export async function createTestQueue(
  sqs: SQSClient,
  name: string,
  attributes?: Record<string, string>,
): Promise<TestQueue> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  return { url: QueueUrl!, arn: Attributes!['QueueArn']! };
}

/** How many messages a queue holds that could be received now. */
export async function depth(sqs: SQSClient, queue: TestQueue): Promise<number> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queue.url, AttributeNames: ['ApproximateNumberOfMessages'] }),
  );
  return Number(Attributes!['ApproximateNumberOfMessages']);
}

/** Receives until `count` messages have come (deleting none), or fails after `timeoutMs`. */
export async function receive(
  sqs: SQSClient,
  queue: TestQueue,
  count: number,
  timeoutMs = 15_000,
): Promise<Message[]> {
  const got: Message[] = [];
  await eventually(
    async () => {
      const { Messages } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queue.url,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
          VisibilityTimeout: 300,
          MessageAttributeNames: ['All'],
          MessageSystemAttributeNames: ['All'],
        }),
      );
      got.push(...(Messages ?? []));
      return got.length >= count;
    },
    `${count} message(s) in ${queue.arn}`,
    timeoutMs,
  );
  return got;
}

/** A rule on `bus` with `pattern` and the given targets, all put. */
export async function ruleWithTargets(
  eb: EventBridgeClient,
  name: string,
  pattern: object,
  targets: Target[],
  bus?: string,
): Promise<string> {
  const { RuleArn } = await eb.send(
    new PutRuleCommand({ Name: name, EventPattern: JSON.stringify(pattern), EventBusName: bus }),
  );
  const put = await eb.send(new PutTargetsCommand({ Rule: name, EventBusName: bus, Targets: targets }));
  expect(put.FailedEntryCount).toBe(0);
  return RuleArn!;
}

export interface ApiRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface ApiEndpoint {
  url: string;
  received: ApiRequest[];
  /** How the endpoint answers from now on. */
  answer(by: (request: ApiRequest) => { status: number; body?: string }): void;
  close(): Promise<void>;
}

/** An HTTP endpoint for API destinations and OAuth token requests: records requests, answers as told (200 at first). */
export async function startApiEndpoint(): Promise<ApiEndpoint> {
  const received: ApiRequest[] = [];
  let answer: (request: ApiRequest) => { status: number; body?: string } = () => ({ status: 200 });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      received.push(request);
      const { status, body } = answer(request);
      res.writeHead(status, body ? { 'content-type': 'application/json' } : {});
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    answer: (by) => {
      answer = by;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
