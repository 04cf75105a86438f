/**
 * Stratus's clock, moved as a user moves it (`POST /_stratus/time`, `stratus time`) on a server
 * whose time otherwise flows with the host's: what falls due fires, once, and everything timed
 * follows — SQS delays and visibility timeouts, Lambda retries, event age and idle reaping,
 * timestamps in logs, messages and metrics — on every node sharing the store.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { InvokeCommand, LambdaClient, PutFunctionEventInvokeConfigCommand } from '@aws-sdk/client-lambda';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  CloudWatchClient,
  GetMetricStatisticsCommand,
  PutMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import type { TimeReport } from '../src/server/control/time.js';
import { createFunction, eventually, logMessages } from './support/lambda.js';
import { createQueue, queueArn } from './support/sqs.js';
import { loadSnapshot, saveSnapshot } from './support/state.js';
import { runStratus, startNode } from './support/stratus-cli.js';
import { signedStratusFetch, startTestStratus, type TestStratus } from './support/stratus.js';

const minute = 60_000;

async function timeOf(stratus: Pick<TestStratus, 'url'>): Promise<TimeReport> {
  const response = await signedStratusFetch(stratus.url, '/_stratus/time');
  expect(response.status).toBe(200);
  return (await response.json()) as TimeReport;
}

async function moveTime(stratus: Pick<TestStratus, 'url'>, query: string): Promise<TimeReport> {
  const response = await signedStratusFetch(stratus.url, `/_stratus/time?${query}`, { method: 'POST' });
  const body = (await response.json()) as TimeReport & { message?: string };
  expect(response.status, body.message).toBe(200);
  return body;
}

/** Whether an Invoke's tail shows a cold start (its REPORT line has an Init Duration). */
async function invokeCold(lambda: LambdaClient, name: string): Promise<boolean> {
  const result = await lambda.send(new InvokeCommand({ FunctionName: name, LogType: 'Tail', Payload: '{}' }));
  expect(result.FunctionError).toBeUndefined();
  const tail = Buffer.from(result.LogResult ?? '', 'base64').toString('utf8');
  expect(tail).toContain('REPORT RequestId');
  return tail.includes('Init Duration');
}

describe("Stratus's time", () => {
  let stratus: TestStratus;
  let sqs: SQSClient;
  let lambda: LambdaClient;
  let logs: CloudWatchLogsClient;
  let cloudwatch: CloudWatchClient;

  beforeAll(async () => {
    stratus = await startTestStratus();
    sqs = new SQSClient(stratus.clientConfig);
    lambda = new LambdaClient(stratus.clientConfig);
    logs = new CloudWatchLogsClient(stratus.clientConfig);
    cloudwatch = new CloudWatchClient(stratus.clientConfig);
  });
  afterAll(async () => {
    for (const client of [sqs, lambda, logs, cloudwatch]) client?.destroy();
    await stratus?.close();
  });

  it('flows with the host until moved; freeze stops it, resume lets it flow from where it stood', async () => {
    const start = await timeOf(stratus);
    expect(start.frozen).toBe(false);
    expect(Math.abs(start.epochMillis - Date.now())).toBeLessThan(5_000);

    const frozen = await moveTime(stratus, 'at=2030-06-01T12:00:00Z&freeze');
    expect(frozen).toMatchObject({ now: '2030-06-01T12:00:00.000Z', frozen: true });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await timeOf(stratus)).now).toBe('2030-06-01T12:00:00.000Z');

    expect((await moveTime(stratus, 'advance=1h30m')).now).toBe('2030-06-01T13:30:00.000Z');
    const resumed = await moveTime(stratus, 'resume');
    expect(resumed.frozen).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const flowing = await timeOf(stratus);
    expect(flowing.epochMillis).toBeGreaterThan(Date.parse('2030-06-01T13:30:00.000Z'));
    expect(flowing.epochMillis).toBeLessThan(Date.parse('2030-06-01T13:30:05.000Z'));

    const real = await moveTime(stratus, 'real');
    expect(Math.abs(real.epochMillis - Date.now())).toBeLessThan(5_000);
  });

  it('refuses what it cannot do with a 400 and a reason', async () => {
    for (const [query, message] of [
      ['advance=soon', "'soon' is not a duration"],
      ['at=yesterday', "'yesterday' is not an ISO 8601 date"],
      ['advance=1m&at=2030-01-01T00:00:00Z', "Give 'advance' or 'at', not both"],
      ['freeze&resume', "Give 'freeze' or 'resume', not both"],
      ['rewind=1h', "Unknown parameter 'rewind'"],
      ['', 'Say what to do'],
    ] as const) {
      const response = await fetch(`${stratus.url}/_stratus/time?${query}`, { method: 'POST' });
      expect(response.status, query).toBe(400);
      const body = (await response.json()) as { __type: string; message: string };
      expect(body.__type).toBe('ValidationException');
      expect(body.message).toContain(message);
    }
  });

  it('a message delayed 15 minutes is received right after advance 15m, and not before', async () => {
    const queueUrl = await createQueue(sqs, 'delayed');
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'later', DelaySeconds: 900 }));
    const receive = (wait = 0) =>
      sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: wait, MaxNumberOfMessages: 10 }),
      );
    expect((await receive()).Messages).toBeUndefined();
    await moveTime(stratus, 'advance=14m');
    expect((await receive()).Messages).toBeUndefined();

    // A long poll that is waiting when the clock moves wakes and gets the message.
    const started = performance.now();
    const polling = receive(10);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await moveTime(stratus, 'advance=1m');
    const { Messages } = await polling;
    expect(Messages?.map((m) => m.Body)).toEqual(['later']);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('a visibility timeout of 12 hours ends after advance 12h', async () => {
    const queueUrl = await createQueue(sqs, 'invisible');
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'slow job' }));
    const receive = () =>
      sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          VisibilityTimeout: 43_200,
          MessageSystemAttributeNames: ['ApproximateReceiveCount'],
        }),
      );
    expect((await receive()).Messages).toHaveLength(1);
    await moveTime(stratus, 'advance=11h59m');
    expect((await receive()).Messages).toBeUndefined();
    await moveTime(stratus, 'advance=1m');
    const [again] = (await receive()).Messages!;
    expect(again?.Body).toBe('slow job');
    expect(again?.Attributes?.ApproximateReceiveCount).toBe('2');
  });

  it('an async event past its maximum age goes to its on-failure destination when the clock passes it', async () => {
    await createFunction(lambda, 'always-fails', {
      'index.js': "exports.handler = async () => { throw new Error('not today'); };",
    });
    const failures = await createQueue(sqs, 'too-old');
    await lambda.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: 'always-fails',
        MaximumEventAgeInSeconds: 60,
        MaximumRetryAttempts: 2,
        DestinationConfig: { OnFailure: { Destination: queueArn('too-old') } },
      }),
    );
    await lambda.send(
      new InvokeCommand({ FunctionName: 'always-fails', InvocationType: 'Event', Payload: '{}' }),
    );
    // The first attempt fails; its retry waits a minute of Stratus's time.
    await eventually(
      () => logMessages(logs, 'always-fails', 'REPORT'),
      (reports) => reports.length === 1,
    );
    await moveTime(stratus, 'advance=2m');
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: failures, WaitTimeSeconds: 10 }),
    );
    const record = JSON.parse(Messages![0]!.Body!) as {
      requestContext: { condition: string; approximateInvokeCount: number };
    };
    expect(record.requestContext.condition).toBe('EventAgeExceeded');
    expect(record.requestContext.approximateInvokeCount).toBe(1);
    // The event was not run again once too old.
    expect(await logMessages(logs, 'always-fails', 'REPORT')).toHaveLength(1);
  });

  it('reaps an idle environment once Stratus time passes its idle timeout', async () => {
    await createFunction(lambda, 'warm-then-cold', { 'index.js': 'exports.handler = async () => 1;' });
    expect(await invokeCold(lambda, 'warm-then-cold')).toBe(true);
    expect(await invokeCold(lambda, 'warm-then-cold')).toBe(false);
    await moveTime(stratus, 'advance=11m');
    expect(await invokeCold(lambda, 'warm-then-cold')).toBe(true);
  });

  it("stamps logs, messages and metrics with Stratus's time", async () => {
    const at = Date.parse('2031-03-04T05:06:07Z');
    await moveTime(stratus, 'at=2031-03-04T05:06:07Z');
    await createFunction(lambda, 'stamped', {
      'index.js': "exports.handler = async () => { console.log('tick'); return 1; };",
    });
    await lambda.send(new InvokeCommand({ FunctionName: 'stamped', Payload: '{}' }));
    const { events } = await logs.send(
      new FilterLogEventsCommand({ logGroupName: '/aws/lambda/stamped', filterPattern: 'tick' }),
    );
    expect(events).toHaveLength(1);
    expect(events![0]!.timestamp! - at).toBeGreaterThanOrEqual(0);
    expect(events![0]!.timestamp! - at).toBeLessThan(minute);
    expect(events![0]!.logStreamName).toMatch(/^2031\/03\/04\/\[\$LATEST\]/);

    const queueUrl = await createQueue(sqs, 'stamped');
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'when?' }));
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MessageSystemAttributeNames: ['SentTimestamp'] }),
    );
    expect(Number(Messages![0]!.Attributes!.SentTimestamp) - at).toBeLessThan(minute);

    await cloudwatch.send(
      new PutMetricDataCommand({ Namespace: 'App', MetricData: [{ MetricName: 'Beats', Value: 1 }] }),
    );
    const { Datapoints } = await cloudwatch.send(
      new GetMetricStatisticsCommand({
        Namespace: 'App',
        MetricName: 'Beats',
        StartTime: new Date(at - minute),
        EndTime: new Date(at + 5 * minute),
        Period: 60,
        Statistics: ['Sum'],
      }),
    );
    expect(Datapoints?.map((d) => d.Sum)).toEqual([1]);
    await moveTime(stratus, 'real');
  });

  it('a fixture saved long ago keeps its messages when loaded with --time saved', async () => {
    await moveTime(stratus, 'at=2026-01-05T10:00:00Z');
    const queueUrl = await createQueue(sqs, 'fixture');
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'kept in the fixture' }));
    const file = join(stratus.dataDir, 'fixture.snapshot');
    writeFileSync(file, await saveSnapshot(stratus.url));
    await moveTime(stratus, 'real');
    const receive = () => sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, VisibilityTimeout: 0 }));

    // Months later, past the queue's 4-day retention, the message has expired...
    expect((await loadSnapshot(stratus.url, readFileSync(file))).status).toBe(200);
    expect((await receive()).Messages).toBeUndefined();
    // ...unless the clock goes back to when the fixture was saved.
    const loaded = await runStratus(['snapshot', 'load', file, '--time', 'saved'], {
      AWS_ENDPOINT_URL: stratus.url,
    });
    expect(loaded.code, loaded.stderr).toBe(0);
    expect(loaded.stdout).toMatch(/Stratus's time is now 2026-01-05T10:00:\d\d\.\d{3}Z {2}flowing/);
    expect((await receive()).Messages?.map((m) => m.Body)).toEqual(['kept in the fixture']);

    const wrong = await runStratus(['snapshot', 'save', file, '--time', 'saved'], {
      AWS_ENDPOINT_URL: stratus.url,
    });
    expect(wrong.code).toBe(2);
    await moveTime(stratus, 'real');
  });

  it('stratus time shows, advances, freezes, resumes and goes back to real time', async () => {
    const env = { AWS_ENDPOINT_URL: stratus.url };
    const shown = await runStratus(['time'], env);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/^\d{4}-\d{2}-\d{2}T.*Z {2}flowing, the host's time\n$/);

    const set = await runStratus(['time', 'freeze', '--at', '2032-01-01T00:00:00Z'], env);
    expect(set.stdout).toMatch(/^2032-01-01T00:00:00\.000Z {2}frozen, .* ahead of this host\n$/);
    const advanced = await runStratus(['time', 'advance', '90m'], env);
    expect(advanced.stdout).toMatch(/^2032-01-01T01:30:00\.000Z {2}frozen/);
    const status = await runStratus(['status'], env);
    expect(status.stdout).toMatch(
      /\n {2}time {6}2032-01-01T01:30:00\.000Z {2}frozen, .* ahead of this host\n/,
    );
    expect((await runStratus(['time', 'resume'], env)).stdout).toMatch(
      /^2032-01-01T01:30:0\d\.\d{3}Z {2}flowing/,
    );
    expect((await runStratus(['time', 'real'], env)).stdout).toMatch(/flowing, the host's time\n$/);

    const wrong = await runStratus(['time', 'advance', 'soon'], env);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain("'soon' is not a duration");
  });
});

describe("Stratus's time and signatures", () => {
  it('requests signed with the real time still pass --require-auth after the clock moved 12 hours; moving it needs a signature', async () => {
    const stratus = await startTestStratus({ requireAuth: true });
    const sqs = new SQSClient(stratus.clientConfig);
    try {
      const unsigned = await fetch(`${stratus.url}/_stratus/time?advance=1h`, { method: 'POST' });
      expect(unsigned.status).toBe(403);
      expect(((await unsigned.json()) as { __type: string }).__type).toBe(
        'MissingAuthenticationTokenException',
      );
      await moveTime(stratus, 'advance=12h');
      expect(await createQueue(sqs, 'signed-later')).toMatch(/signed-later$/);
      const cli = await runStratus(['time', 'advance', '1h'], { AWS_ENDPOINT_URL: stratus.url });
      expect(cli.code, cli.stderr).toBe(0);
      expect(cli.stdout).toMatch(/flowing, 13h( \d+s)? ahead of this host\n$/);
    } finally {
      sqs.destroy();
      await stratus.close();
    }
  });
});

describe("Stratus's time on two nodes sharing one store", () => {
  let first: TestStratus;
  afterAll(() => first?.close());

  it('time advanced through one node is the time of the other, and of a restarted node', async () => {
    first = await startTestStratus();
    let second = await startNode(first);
    const moved = await moveTime(first, 'at=2033-02-03T04:05:06Z&freeze');
    expect((await timeOf(second)).now).toBe(moved.now);

    // A message delayed through one node is received through the other once the time says so.
    const sqsA = new SQSClient(first.clientConfig);
    const sqsB = new SQSClient({ ...first.clientConfig, endpoint: second.url });
    const queueUrl = await createQueue(sqsA, 'across');
    await sqsA.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'hop', DelaySeconds: 600 }));
    expect((await sqsB.send(new ReceiveMessageCommand({ QueueUrl: queueUrl }))).Messages).toBeUndefined();
    await moveTime(first, 'advance=10m');
    const { Messages } = await sqsB.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 5 }),
    );
    expect(Messages?.map((m) => m.Body)).toEqual(['hop']);
    sqsA.destroy();
    sqsB.destroy();

    await second.stop();
    second = await startNode(first);
    expect((await timeOf(second)).now).toBe('2033-02-03T04:15:06.000Z');
    await second.stop();
  });
});
