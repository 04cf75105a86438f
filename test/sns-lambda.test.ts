import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateTopicCommand, PublishCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';

import { startTestStratus, type TestStratus } from './support/stratus.js';
import { eventually, verifySnsSignature } from './support/sns-endpoint.js';
import { zipOf } from './support/zip.js';

const account = '000000000000';

describe('SNS deliveries to Lambda', () => {
  let stratus: TestStratus;
  let sns: SNSClient;
  let lambda: LambdaClient;
  let logs: CloudWatchLogsClient;

  beforeAll(async () => {
    stratus = await startTestStratus();
    sns = new SNSClient(stratus.clientConfig);
    lambda = new LambdaClient(stratus.clientConfig);
    logs = new CloudWatchLogsClient(stratus.clientConfig);
  });
  afterAll(async () => {
    sns?.destroy();
    lambda?.destroy();
    logs?.destroy();
    await stratus?.close();
  });

  it("invokes a subscribed function with Lambda's SNS event (Records[].Sns, signed)", async () => {
    const fn = await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'sns-listener',
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        Role: `arn:aws:iam::${account}:role/lambda-role`,
        Code: {
          ZipFile: await zipOf({
            'index.js':
              'exports.handler = async (event) => { console.log("EVENT " + JSON.stringify(event)); };',
          }),
        },
      }),
    );
    const topicArn = (await sns.send(new CreateTopicCommand({ Name: 'to-lambda' }))).TopicArn!;
    const { SubscriptionArn } = await sns.send(
      new SubscribeCommand({ TopicArn: topicArn, Protocol: 'lambda', Endpoint: fn.FunctionArn }),
    );
    const { MessageId } = await sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Message: '{"order": 7}',
        MessageAttributes: { priority: { DataType: 'String', StringValue: 'high' } },
      }),
    );
    const line = await eventually(
      async () => {
        const page = await logs
          .send(
            new FilterLogEventsCommand({ logGroupName: '/aws/lambda/sns-listener', filterPattern: 'EVENT' }),
          )
          .catch(() => undefined);
        return page?.events?.[0]?.message;
      },
      'the function to log its event',
      30_000,
    );
    const event = JSON.parse(line.slice(line.indexOf('EVENT ') + 6)) as {
      Records: Record<string, unknown>[];
    };
    expect(event.Records).toHaveLength(1);
    const record = event.Records[0]!;
    expect(record).toMatchObject({
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      EventSubscriptionArn: SubscriptionArn,
    });
    const message = record['Sns'] as Record<string, string>;
    expect(message).toMatchObject({
      Type: 'Notification',
      MessageId,
      TopicArn: topicArn,
      Subject: null,
      Message: '{"order": 7}',
      SignatureVersion: '1',
      MessageAttributes: { priority: { Type: 'String', Value: 'high' } },
    });
    expect(message['UnsubscribeUrl']).toContain('Action=Unsubscribe');
    expect(await verifySnsSignature(message)).toBe(true);
  });
});
