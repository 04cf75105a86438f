/**
 * SQS as other parts of Stratus meet it: services calling its operations in process with
 * SDK-shaped input (SNS, Lambda event source mappings), several nodes sharing one PostgreSQL
 * store, and a server that stops while long polls wait.
 */
import { afterAll, describe, expect, it } from 'vitest';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type * as SQS from '@aws-sdk/client-sqs';
import { loadServiceModel } from '../src/protocol/model.js';
import { serviceDefinitions } from '../src/services/registry.js';
import type { ServiceCaller, ServiceDefinition } from '../src/services/service.js';
import { startTestStratus, testStoreUrl, type TestStratus } from './support/stratus.js';

const at = { accountId: '000000000000', region: 'us-east-1' };

describe('SQS inside Stratus', () => {
  let caller: ServiceCaller | undefined;
  // A stand-in for SNS or a Lambda poller: it only keeps the in-process caller it is given.
  const probe: ServiceDefinition = {
    name: 'probe',
    model: { ...loadServiceModel('sts'), operations: {} },
    signingNames: ['probe'],
    create: ({ services }) => {
      caller = services;
      return { provider: {} };
    },
  };
  let stratus: TestStratus;
  afterAll(() => stratus?.close());

  it('other services send, receive, change visibility and delete with SDK-shaped input in process', async () => {
    stratus = await startTestStratus({ services: [...serviceDefinitions, probe] });
    const call = <T>(operation: string, input: object) => caller!.call<T>('sqs', operation, input, at);
    const { QueueUrl } = await call<SQS.CreateQueueResult>('CreateQueue', { QueueName: 'inproc' });
    expect((await call<SQS.GetQueueUrlResult>('GetQueueUrl', { QueueName: 'inproc' })).QueueUrl).toBe(
      QueueUrl,
    );
    const { Attributes } = await call<SQS.GetQueueAttributesResult>('GetQueueAttributes', {
      QueueUrl,
      AttributeNames: ['QueueArn'],
    });
    expect(Attributes?.QueueArn).toBe('arn:aws:sqs:us-east-1:000000000000:inproc');
    await call('SendMessage', {
      QueueUrl,
      MessageBody: '{"Type":"Notification"}',
      MessageAttributes: { raw: { DataType: 'Binary', BinaryValue: new Uint8Array([1, 2]) } },
    });
    const got = await call<SQS.ReceiveMessageResult>('ReceiveMessage', {
      QueueUrl,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: 1,
      MessageAttributeNames: ['All'],
      MessageSystemAttributeNames: ['All'],
    });
    const [m] = got.Messages!;
    expect(m!.Body).toBe('{"Type":"Notification"}');
    expect(Buffer.from(m!.MessageAttributes!.raw!.BinaryValue!)).toEqual(Buffer.from([1, 2]));
    await call('ChangeMessageVisibility', {
      QueueUrl,
      ReceiptHandle: m!.ReceiptHandle,
      VisibilityTimeout: 0,
    });
    const again = await call<SQS.ReceiveMessageResult>('ReceiveMessage', { QueueUrl });
    const deleted = await call<SQS.DeleteMessageBatchResult>('DeleteMessageBatch', {
      QueueUrl,
      Entries: [{ Id: 'a', ReceiptHandle: again.Messages![0]!.ReceiptHandle }],
    });
    expect(deleted.Successful).toEqual([{ Id: 'a' }]);
    const missing = await call('SendMessage', {
      QueueUrl: 'http://x/000000000000/none',
      MessageBody: 'x',
    }).catch((err: Error) => err);
    expect((missing as Error).name).toBe('QueueDoesNotExist');
  });

  it('stopping the server ends waiting long polls at once', async () => {
    const node = await startTestStratus();
    const sqs = new SQSClient(node.clientConfig);
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'stopping' }));
    const polls = Array.from({ length: 3 }, () =>
      sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20 })).catch((err: unknown) => err),
    );
    await new Promise((r) => setTimeout(r, 200));
    const started = performance.now();
    await node.close();
    await Promise.all(polls);
    expect(performance.now() - started).toBeLessThan(3000);
    sqs.destroy();
  });
});

const postgres = testStoreUrl();

describe.skipIf(!postgres)('SQS on two nodes sharing one PostgreSQL store', () => {
  it(
    'hands each message to one consumer while it is in flight, across nodes',
    { timeout: 120_000 },
    async () => {
      const a = await startTestStratus({ storeUrl: postgres });
      const b = await startTestStratus({ storeUrl: postgres, dataDir: a.dataDir });
      const clients = [new SQSClient(a.clientConfig), new SQSClient(b.clientConfig)];
      try {
        const { QueueUrl } = await clients[0]!.send(
          new CreateQueueCommand({ QueueName: 'shared', Attributes: { VisibilityTimeout: '60' } }),
        );
        const total = 600;
        for (let i = 0; i < total; i += 10) {
          await clients[i % 20 === 0 ? 0 : 1]!.send(
            new SendMessageBatchCommand({
              QueueUrl,
              Entries: Array.from({ length: 10 }, (_, n) => ({ Id: `e${n}`, MessageBody: `m${i + n}` })),
            }),
          );
        }
        const seen: string[] = [];
        // Eight consumers, four on each node, race for the same messages.
        await Promise.all(
          Array.from({ length: 8 }, async (_, c) => {
            const sqs = clients[c % 2]!;
            for (;;) {
              const { Messages = [] } = await sqs.send(
                new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }),
              );
              if (Messages.length === 0) return;
              seen.push(...Messages.map((m) => m.Body!));
              await sqs.send(
                new DeleteMessageBatchCommand({
                  QueueUrl,
                  Entries: Messages.map((m, n) => ({ Id: `d${n}`, ReceiptHandle: m.ReceiptHandle! })),
                }),
              );
            }
          }),
        );
        expect(seen).toHaveLength(total);
        expect(new Set(seen).size).toBe(total);
      } finally {
        for (const c of clients) c.destroy();
        await b.stop();
        await a.close();
      }
    },
  );
});
