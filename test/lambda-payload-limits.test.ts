/**
 * Lambda's payload limits: 1 MB for an `Event` invocation (AWS raised it from 256 KB in October
 * 2025), 256 KB still for the deprecated InvokeAsync, 6 MB for a synchronous one — refused with
 * Lambda's 413 RequestEntityTooLargeException — and an SQS event source, now fed 1 MiB messages,
 * keeping each event it hands a function within the synchronous limit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateEventSourceMappingCommand,
  InvokeAsyncCommand,
  InvokeCommand,
  LambdaClient,
} from '@aws-sdk/client-lambda';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { startTestStratus, type TestStratus } from './support/stratus.js';
import { createFunction, eventually, logMessages } from './support/lambda.js';
import { rejection } from './support/rejection.js';
import { createQueue, queueArn } from './support/sqs.js';

/** A JSON payload of exactly `bytes` bytes: `{"pad":"xx…"}`. */
const payloadOf = (bytes: number) => Buffer.from(`{"pad":"${'x'.repeat(bytes - 10)}"}`);

/** Lambda's refusal of a request over its limit: 413 RequestEntityTooLargeException. */
async function expectTooLarge(call: Promise<unknown>, message: string) {
  const err = await rejection<Error & { $metadata: { httpStatusCode?: number } }>(call);
  expect(err.name).toBe('RequestEntityTooLargeException');
  expect(err.message).toBe(message);
  expect(err.$metadata.httpStatusCode).toBe(413);
}

describe('Lambda payload limits', () => {
  let stratus: TestStratus;
  let lambda: LambdaClient;
  let logs: CloudWatchLogsClient;

  beforeAll(async () => {
    stratus = await startTestStratus();
    lambda = new LambdaClient(stratus.clientConfig);
    logs = new CloudWatchLogsClient(stratus.clientConfig);
    await createFunction(lambda, 'measure', {
      'index.js':
        'exports.handler = async (event) => { console.log("SIZE " + JSON.stringify(event).length); };',
    });
  });
  afterAll(async () => {
    lambda?.destroy();
    logs?.destroy();
    await stratus?.close();
  });

  const sizesLogged = async (fn: string) =>
    (await logMessages(logs, fn, '"SIZE"')).map((m) => Number(m.trim().split('SIZE ')[1]));

  it('accepts and runs a 1 MB Event invocation; one byte more is refused with 413', async () => {
    const queued = await lambda.send(
      new InvokeCommand({ FunctionName: 'measure', InvocationType: 'Event', Payload: payloadOf(1_048_576) }),
    );
    expect(queued.StatusCode).toBe(202);
    await eventually(
      () => sizesLogged('measure'),
      (sizes) => sizes.includes(1_048_576),
    );

    await expectTooLarge(
      lambda.send(
        new InvokeCommand({
          FunctionName: 'measure',
          InvocationType: 'Event',
          Payload: payloadOf(1_048_577),
        }),
      ),
      '1048577 byte payload is too large for the Event invocation type (limit 1048576 bytes)',
    );
  });

  it('keeps the deprecated InvokeAsync at 256 KB', async () => {
    const accepted = await lambda.send(
      new InvokeAsyncCommand({ FunctionName: 'measure', InvokeArgs: payloadOf(262_144) }),
    );
    expect(accepted.Status).toBe(202);
    await expectTooLarge(
      lambda.send(new InvokeAsyncCommand({ FunctionName: 'measure', InvokeArgs: payloadOf(262_145) })),
      'Request must be smaller than 262144 bytes for the InvokeAsync operation',
    );
  });

  it('refuses a synchronous invocation over 6 MB with 413', async () => {
    await expectTooLarge(
      lambda.send(new InvokeCommand({ FunctionName: 'measure', Payload: payloadOf(6_291_457) })),
      'Request must be smaller than 6291456 bytes for the InvokeFunction operation',
    );
  });

  it('an SQS event source hands the function ten 1 MB messages in events of at most 6 MB', async () => {
    const sqs = new SQSClient(stratus.clientConfig);
    try {
      const url = await createQueue(sqs, 'large-bodies');
      const body = 'x'.repeat(1_000_000);
      for (let i = 0; i < 10; i++)
        await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body }));
      await createFunction(lambda, 'large-batches', {
        'index.js':
          'exports.handler = async (event) => { console.log("SIZE " + JSON.stringify(event).length + " " + event.Records.length); };',
      });
      await lambda.send(
        new CreateEventSourceMappingCommand({
          FunctionName: 'large-batches',
          EventSourceArn: queueArn('large-bodies'),
          BatchSize: 10,
        }),
      );
      const batches = await eventually(
        async () =>
          (await logMessages(logs, 'large-batches', '"SIZE"')).map((m) =>
            m.trim().split('SIZE ')[1]!.split(' ').map(Number),
          ),
        (seen) => seen.reduce((sum, [, records]) => sum + records!, 0) >= 10,
      );
      expect(batches.reduce((sum, [, records]) => sum + records!, 0)).toBe(10);
      expect(Math.max(...batches.map(([bytes]) => bytes!))).toBeLessThanOrEqual(6_291_456);
      expect(Math.max(...batches.map(([, records]) => records!))).toBe(6);
    } finally {
      sqs.destroy();
    }
  });
});
