/**
 * Shared set-up for the SQS event source mapping tests: a started Stratus with Lambda, SQS and
 * CloudWatch Logs clients.
 */
import { LambdaClient } from '@aws-sdk/client-lambda';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { startTestStratus, type TestStratus } from './stratus.js';
import { logMessages } from './lambda.js';

export interface LambdaSqsTest {
  stratus: TestStratus;
  lambda: LambdaClient;
  sqs: SQSClient;
  logs: CloudWatchLogsClient;
  /** The messages on a queue, visible or in flight. */
  depth(queueUrl: string): Promise<number>;
  /** What a function logged as `GOT <body>` lines, oldest first. */
  got(functionName: string): Promise<string[]>;
  close(): Promise<void>;
}

export async function startLambdaSqsTest(): Promise<LambdaSqsTest> {
  const stratus = await startTestStratus();
  const lambda = new LambdaClient(stratus.clientConfig);
  const sqs = new SQSClient(stratus.clientConfig);
  const logs = new CloudWatchLogsClient(stratus.clientConfig);
  return {
    stratus,
    lambda,
    sqs,
    logs,
    async depth(queueUrl) {
      const { Attributes } = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: queueUrl,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      );
      return (
        Number(Attributes!.ApproximateNumberOfMessages) +
        Number(Attributes!.ApproximateNumberOfMessagesNotVisible)
      );
    },
    async got(functionName) {
      return (await logMessages(logs, functionName, '"GOT"')).map((m) => m.trim().replace(/^.*GOT /, ''));
    },
    async close() {
      lambda.destroy();
      sqs.destroy();
      logs.destroy();
      await stratus.close();
    },
  };
}
