/**
 * SQS's query protocol (what the aws CLI v2 of Debian and older SDKs speak): form-encoded
 * `Action=…&Version=2012-11-05` requests, XML answers, `<ErrorResponse>` errors — and the JSON
 * protocol's `x-amzn-query-error` header that carries the same error codes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XMLParser } from 'fast-xml-parser';
import { createHash } from 'node:crypto';
import { startTestStratus, type TestStratus } from './support/stratus.js';

const listElements = [
  'Attribute',
  'MessageAttribute',
  'QueueUrl',
  'SendMessageBatchResultEntry',
  'BatchResultErrorEntry',
  'Tag',
];
const parser = new XMLParser({
  isArray: (name, jpath) =>
    listElements.includes(name) || jpath === 'ReceiveMessageResponse.ReceiveMessageResult.Message',
});

describe('SQS query protocol', () => {
  let stratus: TestStratus;
  beforeAll(async () => {
    stratus = await startTestStratus();
  });
  afterAll(() => stratus?.close());

  async function query(params: Record<string, string>, path = '/') {
    const res = await fetch(`${stratus.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: new URLSearchParams({ Version: '2012-11-05', ...params }).toString(),
    });
    const text = await res.text();
    return { status: res.status, text, xml: parser.parse(text) as Record<string, Record<string, unknown>> };
  }

  it('creates a queue with Attribute.N and Tag.N parameters', async () => {
    const { status, xml } = await query({
      Action: 'CreateQueue',
      QueueName: 'q-form',
      'Attribute.1.Name': 'VisibilityTimeout',
      'Attribute.1.Value': '45',
      'Tag.1.Key': 'team',
      'Tag.1.Value': 'payments',
    });
    expect(status).toBe(200);
    const url = (xml.CreateQueueResponse!.CreateQueueResult as { QueueUrl: string[] }).QueueUrl[0];
    expect(url).toBe(`${stratus.url}/000000000000/q-form`);
    expect(xml.CreateQueueResponse!.ResponseMetadata).toMatchObject({ RequestId: expect.any(String) });
    const attrs = await query({
      Action: 'GetQueueAttributes',
      QueueUrl: url!,
      'AttributeName.1': 'VisibilityTimeout',
    });
    expect(attrs.xml.GetQueueAttributesResponse!.GetQueueAttributesResult).toEqual({
      Attribute: [{ Name: 'VisibilityTimeout', Value: 45 }],
    });
    const tags = await query({ Action: 'ListQueueTags', QueueUrl: url! });
    expect(tags.xml.ListQueueTagsResponse!.ListQueueTagsResult).toEqual({
      Tag: [{ Key: 'team', Value: 'payments' }],
    });
  });

  it('sends with MessageAttribute.N, receives Message elements with Attribute and MessageAttribute, deletes', async () => {
    const url = `${stratus.url}/000000000000/q-form`;
    const sent = await query({
      Action: 'SendMessage',
      QueueUrl: url,
      MessageBody: 'hello <world> & co',
      'MessageAttribute.1.Name': 'kind',
      'MessageAttribute.1.Value.DataType': 'String',
      'MessageAttribute.1.Value.StringValue': 'greeting',
      'MessageAttribute.2.Name': 'raw',
      'MessageAttribute.2.Value.DataType': 'Binary',
      'MessageAttribute.2.Value.BinaryValue': Buffer.from([9, 8, 7]).toString('base64'),
    });
    expect(sent.status).toBe(200);
    const result = sent.xml.SendMessageResponse!.SendMessageResult as Record<string, string>;
    expect(result.MD5OfMessageBody).toBe(createHash('md5').update('hello <world> & co').digest('hex'));
    expect(result.MD5OfMessageAttributes).toMatch(/^[0-9a-f]{32}$/);
    const got = await query({
      Action: 'ReceiveMessage',
      QueueUrl: url,
      'AttributeName.1': 'All',
      'MessageAttributeName.1': 'All',
      MaxNumberOfMessages: '10',
    });
    const [message] = (
      got.xml.ReceiveMessageResponse!.ReceiveMessageResult as { Message: Record<string, unknown>[] }
    ).Message;
    expect(message).toMatchObject({
      MessageId: result.MessageId,
      Body: 'hello <world> & co',
      MD5OfMessageAttributes: result.MD5OfMessageAttributes,
    });
    expect(message!.Attribute).toContainEqual({ Name: 'ApproximateReceiveCount', Value: 1 });
    expect(message!.MessageAttribute).toEqual([
      { Name: 'kind', Value: { StringValue: 'greeting', DataType: 'String' } },
      { Name: 'raw', Value: { BinaryValue: Buffer.from([9, 8, 7]).toString('base64'), DataType: 'Binary' } },
    ]);
    const deleted = await query({
      Action: 'DeleteMessage',
      QueueUrl: url,
      ReceiptHandle: String(message!.ReceiptHandle),
    });
    expect(deleted.status).toBe(200);
    expect(deleted.text).toContain('<DeleteMessageResponse');
  });

  it('SendMessageBatch takes SendMessageBatchRequestEntry.N and answers entries and errors', async () => {
    const url = `${stratus.url}/000000000000/q-form`;
    const { xml } = await query({
      Action: 'SendMessageBatch',
      QueueUrl: url,
      'SendMessageBatchRequestEntry.1.Id': 'one',
      'SendMessageBatchRequestEntry.1.MessageBody': 'first',
      'SendMessageBatchRequestEntry.2.Id': 'two',
      'SendMessageBatchRequestEntry.2.MessageBody': 'second',
      'SendMessageBatchRequestEntry.2.DelaySeconds': '901',
    });
    const result = xml.SendMessageBatchResponse!.SendMessageBatchResult as Record<
      string,
      Record<string, unknown>[]
    >;
    expect(result.SendMessageBatchResultEntry!.map((e) => e.Id)).toEqual(['one']);
    expect(result.BatchResultErrorEntry).toEqual([
      expect.objectContaining({ Id: 'two', SenderFault: true, Code: 'InvalidParameterValue' }),
    ]);
  });

  it('a request posted to the queue URL names the queue by its path, as older SDKs send it', async () => {
    await query({ Action: 'CreateQueue', QueueName: 'q-list' });
    const sent = await query({ Action: 'SendMessage', MessageBody: 'by path' }, '/000000000000/q-list');
    expect(sent.status).toBe(200);
    const got = await query({ Action: 'ReceiveMessage' }, '/000000000000/q-list');
    const result = got.xml.ReceiveMessageResponse!.ReceiveMessageResult as { Message: { Body: string }[] };
    expect(result.Message.map((m) => m.Body)).toEqual(['by path']);
    const missing = await query({ Action: 'SendMessage', MessageBody: 'x' }, '/000000000000/no-such');
    expect(missing.xml.ErrorResponse!.Error).toMatchObject({
      Code: 'AWS.SimpleQueueService.NonExistentQueue',
    });
    const notAQueue = await query({ Action: 'SendMessage', MessageBody: 'x' });
    expect(notAQueue.xml.ErrorResponse!.Error).toMatchObject({
      Code: 'MissingParameter',
      Message: 'The request must contain the parameter QueueUrl.',
    });
  });

  it('lists queue URLs as QueueUrl elements', async () => {
    await query({ Action: 'CreateQueue', QueueName: 'q-list' });
    const { xml } = await query({ Action: 'ListQueues', QueueNamePrefix: 'q-' });
    expect((xml.ListQueuesResponse!.ListQueuesResult as { QueueUrl: string[] }).QueueUrl).toEqual([
      `${stratus.url}/000000000000/q-form`,
      `${stratus.url}/000000000000/q-list`,
    ]);
  });

  it('answers errors as <ErrorResponse> with the query code, whatever path the form is posted to', async () => {
    const { status, xml } = await query({ Action: 'GetQueueUrl', QueueName: 'nope' }, '/000000000000/nope');
    expect(status).toBe(400);
    expect(xml.ErrorResponse!.Error).toEqual({
      Type: 'Sender',
      Code: 'AWS.SimpleQueueService.NonExistentQueue',
      Message: 'The specified queue does not exist.',
    });
    expect(xml.ErrorResponse!.RequestId).toEqual(expect.any(String));
    const missing = await query({ Action: 'CreateQueue' });
    expect(missing.xml.ErrorResponse!.Error).toMatchObject({
      Code: 'MissingParameter',
      Message: 'The request must contain the parameter QueueName.',
    });
    const receipt = await query({
      Action: 'DeleteMessage',
      QueueUrl: `${stratus.url}/000000000000/q-form`,
      ReceiptHandle: 'bad',
    });
    expect(receipt.status).toBe(404);
    expect(receipt.xml.ErrorResponse!.Error).toMatchObject({ Code: 'ReceiptHandleIsInvalid' });
  });

  it('JSON errors carry the query code in x-amzn-query-error', async () => {
    const res = await fetch(stratus.url, {
      method: 'POST',
      headers: { 'x-amz-target': 'AmazonSQS.GetQueueUrl', 'content-type': 'application/x-amz-json-1.0' },
      body: JSON.stringify({ QueueName: 'nope' }),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-query-error')).toBe('AWS.SimpleQueueService.NonExistentQueue;Sender');
    expect(await res.json()).toEqual({
      __type: 'QueueDoesNotExist',
      message: 'The specified queue does not exist.',
    });
    const purge = await fetch(stratus.url, {
      method: 'POST',
      headers: { 'x-amz-target': 'AmazonSQS.CreateQueue', 'content-type': 'application/x-amz-json-1.0' },
      body: JSON.stringify({ QueueName: 'bad name!' }),
    });
    expect(purge.headers.get('x-amzn-query-error')).toBe('InvalidParameterValue;Sender');
  });
});
