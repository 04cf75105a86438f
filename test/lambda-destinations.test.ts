/**
 * Where asynchronous invocations report, end to end: OnSuccess / OnFailure destinations on SQS
 * queues and SNS topics receive Lambda's invocation record, and a function's dead-letter queue
 * receives the event of an invocation that failed for good, with Lambda's message attributes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  InvokeCommand,
  LambdaClient,
  PutFunctionEventInvokeConfigCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { startTestStratus, type TestStratus } from './support/stratus.js';
import { queueArn, createQueue } from './support/sqs.js';
import { createFunction, eventually } from './support/lambda.js';

const account = '000000000000';
const functionArn = (name: string) => `arn:aws:lambda:us-east-1:${account}:function:${name}`;

describe('Lambda async destinations and dead-letter queues', () => {
  let stratus: TestStratus;
  let lambda: LambdaClient;
  let sqs: SQSClient;
  let sns: SNSClient;

  beforeAll(async () => {
    stratus = await startTestStratus();
    lambda = new LambdaClient(stratus.clientConfig);
    sqs = new SQSClient(stratus.clientConfig);
    sns = new SNSClient(stratus.clientConfig);
    await createFunction(lambda, 'dest-ok', {
      'index.js': 'exports.handler = async (event) => ({ doubled: event.n * 2 });',
    });
    await createFunction(lambda, 'dest-fail', {
      'index.js': "exports.handler = async () => { throw new Error('card declined'); };",
    });
  });
  afterAll(async () => {
    for (const client of [lambda, sqs, sns]) client?.destroy();
    await stratus?.close();
  });

  const queue = (name: string, attributes?: Record<string, string>) => createQueue(sqs, name, attributes);

  const firstMessage = (queueUrl: string) =>
    eventually(
      async () =>
        (
          await sqs.send(
            new ReceiveMessageCommand({
              QueueUrl: queueUrl,
              WaitTimeSeconds: 1,
              MessageAttributeNames: ['All'],
            }),
          )
        ).Messages ?? [],
      (messages: Message[]) => messages.length > 0,
    ).then((messages) => messages[0]!);

  const invokeAsync = (name: string, payload: unknown) =>
    lambda.send(
      new InvokeCommand({
        FunctionName: name,
        InvocationType: 'Event',
        Payload: Buffer.from(JSON.stringify(payload)),
      }),
    );

  it('sends the record of a success to an SQS OnSuccess destination', async () => {
    const url = await queue('dest-success');
    await lambda.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: 'dest-ok',
        DestinationConfig: { OnSuccess: { Destination: queueArn('dest-success') } },
      }),
    );
    await invokeAsync('dest-ok', { n: 21 });
    const record = JSON.parse((await firstMessage(url)).Body!) as Record<string, unknown>;
    expect(record).toMatchObject({
      version: '1.0',
      requestContext: {
        functionArn: `${functionArn('dest-ok')}:$LATEST`,
        condition: 'Success',
        approximateInvokeCount: 1,
      },
      requestPayload: { n: 21 },
      responseContext: { statusCode: 200, executedVersion: '$LATEST' },
      responsePayload: { doubled: 42 },
    });
  });

  it('sends the record of a failure to an SNS OnFailure destination once retries are spent', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'dest-failures' }));
    const url = await queue('dest-failure-inbox');
    await sns.send(
      new SubscribeCommand({
        TopicArn,
        Protocol: 'sqs',
        Endpoint: queueArn('dest-failure-inbox'),
        Attributes: { RawMessageDelivery: 'true' },
      }),
    );
    await lambda.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: 'dest-fail',
        MaximumRetryAttempts: 0,
        DestinationConfig: { OnFailure: { Destination: TopicArn } },
      }),
    );
    await invokeAsync('dest-fail', { order: 7 });
    const record = JSON.parse((await firstMessage(url)).Body!) as Record<string, unknown>;
    expect(record).toMatchObject({
      requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 1 },
      requestPayload: { order: 7 },
      responseContext: { statusCode: 200, functionError: 'Unhandled' },
      responsePayload: { errorType: 'Error', errorMessage: 'card declined' },
    });
  });

  it("sends a failed event to the function's dead-letter queue with RequestID, ErrorCode and ErrorMessage", async () => {
    const url = await queue('dest-dlq');
    await lambda.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: 'dest-fail',
        DeadLetterConfig: { TargetArn: queueArn('dest-dlq') },
      }),
    );
    await eventually(
      () => lambda.send(new InvokeCommand({ FunctionName: 'dest-fail', InvocationType: 'DryRun' })),
      () => true,
    );
    await invokeAsync('dest-fail', { order: 8 });
    const message = await firstMessage(url);
    expect(JSON.parse(message.Body!)).toEqual({ order: 8 });
    expect(message.MessageAttributes).toMatchObject({
      RequestID: { DataType: 'String', StringValue: expect.stringMatching(/^[0-9a-f-]{36}$/) },
      ErrorCode: { DataType: 'String', StringValue: '200' },
      ErrorMessage: { DataType: 'String', StringValue: 'card declined' },
    });
  });
});
