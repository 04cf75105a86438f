/**
 * SQS's 1 MiB messages (AWS raised the limit from 256 KiB in August 2025): the default and largest
 * MaximumMessageSize, a message and a batch at the limit and one byte over it, through the SDK's
 * JSON protocol and the query protocol's form encoding — and an SNS message at its own, unchanged
 * 256 KB limit still reaching a queue inside its envelope.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BatchRequestTooLong,
  CreateQueueCommand,
  GetQueueAttributesCommand,
  InvalidAttributeValue,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { CreateTopicCommand, PublishCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { startTestStratus, type TestStratus } from './support/stratus.js';
import { failure, queueArn } from './support/sqs.js';

const MiB = 1_048_576;
const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');
/** A body of exactly `bytes` UTF-8 bytes, two-byte characters first, so a cut or re-encoding shows. */
const bodyOf = (bytes: number) => 'é'.repeat(1000) + 'x'.repeat(bytes - 2000);

describe('SQS message size', () => {
  let stratus: TestStratus;
  let sqs: SQSClient;
  let n = 0;

  beforeAll(async () => {
    stratus = await startTestStratus();
    sqs = new SQSClient(stratus.clientConfig);
  });
  afterAll(async () => {
    sqs?.destroy();
    await stratus?.close();
  });

  const queue = async (attributes?: Record<string, string>) =>
    (await sqs.send(new CreateQueueCommand({ QueueName: `size-${++n}`, Attributes: attributes }))).QueueUrl!;
  const receiveOne = async (url: string) =>
    (await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 1 }))).Messages?.[0];

  it('a new queue allows 1 MiB messages, and MaximumMessageSize cannot go higher', async () => {
    const url = await queue();
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['MaximumMessageSize'] }),
    );
    expect(Attributes).toEqual({ MaximumMessageSize: String(MiB) });
    await sqs.send(
      new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { MaximumMessageSize: '300000' } }),
    );
    const tooLarge = { MaximumMessageSize: String(MiB + 1) };
    for (const refused of [
      () => sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: tooLarge })),
      () => queue(tooLarge),
    ]) {
      const err = await failure(refused());
      expect(err).toBeInstanceOf(InvalidAttributeValue);
      expect(err.message).toBe('Invalid value for the parameter MaximumMessageSize.');
      expect(err.$metadata.httpStatusCode).toBe(400);
    }
  });

  it('sends and receives a 1 MiB message intact; one byte more, body or attributes, is refused', async () => {
    const url = await queue();
    const body = bodyOf(MiB);
    expect(Buffer.byteLength(body)).toBe(MiB);
    const sent = await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body }));
    expect(sent.MD5OfMessageBody).toBe(md5(body));
    const message = await receiveOne(url);
    expect(message?.Body).toBe(body);
    expect(message?.MD5OfBody).toBe(md5(body));

    const tooLong = [
      { QueueUrl: url, MessageBody: bodyOf(MiB + 1) },
      // Attribute names, types and values count too: 1 + 6 + 1 bytes here.
      {
        QueueUrl: url,
        MessageBody: bodyOf(MiB - 7),
        MessageAttributes: { a: { DataType: 'String', StringValue: 'v' } },
      },
    ];
    for (const input of tooLong) {
      const err = await failure(sqs.send(new SendMessageCommand(input)));
      expect(err.name).toBe('InvalidParameterValue');
      expect(err.message).toBe(
        'One or more parameters are invalid. Reason: Message must be shorter than 1048576 bytes.',
      );
      expect(err.$metadata.httpStatusCode).toBe(400);
    }
  });

  it('takes a batch of 1 MiB in all; one byte more is BatchRequestTooLong', async () => {
    const url = await queue();
    const half = MiB / 2;
    const out = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: 'a', MessageBody: bodyOf(half) },
          { Id: 'b', MessageBody: bodyOf(half) },
        ],
      }),
    );
    expect(out.Successful?.map((s) => s.Id)).toEqual(['a', 'b']);
    const err = await failure(
      sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: url,
          Entries: [
            { Id: 'a', MessageBody: bodyOf(half) },
            { Id: 'b', MessageBody: bodyOf(half + 1) },
          ],
        }),
      ),
    );
    expect(err).toBeInstanceOf(BatchRequestTooLong);
    expect(err.message).toBe(
      'Batch requests cannot be longer than 1048576 bytes. You have sent 1048577 bytes.',
    );
  });

  it('takes a 1 MiB message through the query protocol, whose form encoding triples it', async () => {
    const url = await queue();
    const body = 'é'.repeat(MiB / 2);
    const form = new URLSearchParams({
      Action: 'SendMessage',
      Version: '2012-11-05',
      QueueUrl: url,
      MessageBody: body,
    }).toString();
    expect(form.length).toBeGreaterThan(3 * MiB);
    const post = (text: string) =>
      fetch(stratus.url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
        body: text,
      });
    const accepted = await post(form);
    expect(accepted.status).toBe(200);
    expect(await accepted.text()).toContain(`<MD5OfMessageBody>${md5(body)}</MD5OfMessageBody>`);
    expect((await receiveOne(url))?.Body).toBe(body);

    const refused = await post(`${form}x`);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain(
      'One or more parameters are invalid. Reason: Message must be shorter than 1048576 bytes.',
    );
  });

  it('an SNS message of 256 KB, SNS\u2019s own limit, reaches a queue inside its envelope', async () => {
    const sns = new SNSClient(stratus.clientConfig);
    try {
      const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'large-messages' }));
      const url = await queue();
      await sns.send(
        new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: queueArn(url.split('/').pop()!) }),
      );
      const message = bodyOf(256 * 1024);
      await sns.send(new PublishCommand({ TopicArn, Message: message }));
      let delivered: string | undefined;
      for (let i = 0; i < 20 && !delivered; i++) delivered = (await receiveOne(url))?.Body;
      expect(Buffer.byteLength(delivered!)).toBeGreaterThan(256 * 1024);
      expect(JSON.parse(delivered!)).toMatchObject({ Type: 'Notification', TopicArn, Message: message });
    } finally {
      sns.destroy();
    }
  });
});
