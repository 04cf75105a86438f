/**
 * npm run bench:reset — how long `POST /_stratus/reset` takes with 10 000 resources.
 *
 * Stratus runs in its own process (SQLite, or STRATUS_BENCH_STORE=postgres://…). Through the AWS
 * SDK, a mix of 10 000 resources is made: queues and their messages, topics and subscriptions,
 * log groups and events, metrics, SES messages in the outbox, functions with event source
 * mappings. Then one reset wipes them all; the bench prints its time as the server measured it,
 * as the client saw it, and the CPU the server process spent on it (/proc). Repeated
 * BENCH_ROUNDS times (default 3). Target: well under a second.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { CreateEventSourceMappingCommand, CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { SendEmailCommand, SESClient, VerifyEmailIdentityCommand } from '@aws-sdk/client-ses';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startServer } from '../test/support/processes.js';
import { zipOf } from '../test/support/zip.js';
import { benchClientConfig } from './support/client-config.js';
import { cpuSeconds } from './support/process-cpu.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const storeUrl = process.env.STRATUS_BENCH_STORE ?? '';
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const concurrency = 8;

/** How many of each resource one round makes: 10 000 in all. */
const mix = {
  queues: 400,
  messages: 4000,
  topics: 200,
  subscriptions: 400,
  logGroups: 400,
  logEvents: 2400,
  metrics: 1000,
  emails: 1180,
  functions: 10,
  mappings: 10,
};

/** Runs `count` tasks, `concurrency` at a time. */
async function inParallel(count: number, task: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

async function populate(endpoint: string, round: number): Promise<void> {
  const config = benchClientConfig(endpoint, concurrency);
  const sqs = new SQSClient(config);
  const sns = new SNSClient(config);
  const logs = new CloudWatchLogsClient(config);
  const cloudwatch = new CloudWatchClient(config);
  const ses = new SESClient(config);
  const lambda = new LambdaClient(config);
  try {
    const queueUrls: string[] = [];
    await inParallel(mix.queues, async (i) => {
      queueUrls[i] = (await sqs.send(new CreateQueueCommand({ QueueName: `q${i}` }))).QueueUrl!;
    });
    await inParallel(mix.messages / 10, (i) =>
      sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrls[i % queueUrls.length]!,
          Entries: Array.from({ length: 10 }, (_, n) => ({ Id: `m${n}`, MessageBody: `message ${i}/${n}` })),
        }),
      ),
    );
    const topics: string[] = [];
    await inParallel(mix.topics, async (i) => {
      topics[i] = (await sns.send(new CreateTopicCommand({ Name: `t${i}` }))).TopicArn!;
    });
    await inParallel(mix.subscriptions, (i) =>
      sns.send(
        new SubscribeCommand({
          TopicArn: topics[i % topics.length]!,
          Protocol: 'sqs',
          Endpoint: `arn:aws:sqs:us-east-1:000000000000:q${i}`,
        }),
      ),
    );
    const perGroup = mix.logEvents / mix.logGroups;
    await inParallel(mix.logGroups, async (i) => {
      await logs.send(new CreateLogGroupCommand({ logGroupName: `/bench/${i}` }));
      await logs.send(new CreateLogStreamCommand({ logGroupName: `/bench/${i}`, logStreamName: 's' }));
      await logs.send(
        new PutLogEventsCommand({
          logGroupName: `/bench/${i}`,
          logStreamName: 's',
          logEvents: Array.from({ length: perGroup }, (_, n) => ({
            timestamp: Date.now(),
            message: `event ${n}`,
          })),
        }),
      );
    });
    await inParallel(mix.metrics / 500, (i) =>
      cloudwatch.send(
        new PutMetricDataCommand({
          Namespace: 'Bench',
          MetricData: Array.from({ length: 500 }, (_, n) => ({ MetricName: `m${i * 500 + n}`, Value: n })),
        }),
      ),
    );
    await ses.send(new VerifyEmailIdentityCommand({ EmailAddress: 'bench@example.com' }));
    await inParallel(mix.emails, (i) =>
      ses.send(
        new SendEmailCommand({
          Source: 'bench@example.com',
          Destination: { ToAddresses: [`to${i}@example.org`] },
          Message: { Subject: { Data: `mail ${i}` }, Body: { Text: { Data: 'body' } } },
        }),
      ),
    );
    const zip = await zipOf({ 'index.js': `exports.handler = async () => ${round};` });
    await inParallel(mix.functions, async (i) => {
      await lambda.send(
        new CreateFunctionCommand({
          FunctionName: `f${i}`,
          Runtime: 'nodejs20.x',
          Handler: 'index.handler',
          Role: 'arn:aws:iam::000000000000:role/bench',
          Code: { ZipFile: zip },
        }),
      );
      await lambda.send(
        new CreateEventSourceMappingCommand({
          FunctionName: `f${i}`,
          EventSourceArn: `arn:aws:sqs:us-east-1:000000000000:q${i}`,
          Enabled: false,
        }),
      );
    });
  } finally {
    for (const client of [sqs, sns, logs, cloudwatch, ses, lambda]) client.destroy();
  }
}

const work = mkdtempSync(join(tmpdir(), 'stratus-bench-reset-'));
const stratus = await startServer('test/support/serve.ts', [join(work, 'data'), storeUrl]);
try {
  const total = Object.values(mix).reduce((sum, n) => sum + n, 0);
  console.log(
    `bench:reset — POST /_stratus/reset of ${total} resources on ${storeUrl ? 'PostgreSQL' : 'SQLite'}`,
  );
  console.log('round | rows deleted | server ms | client ms | server CPU ms');
  for (let round = 1; round <= rounds; round++) {
    await populate(stratus.url, round);
    const cpuBefore = cpuSeconds(stratus.child.pid!);
    const began = performance.now();
    const response = await fetch(new URL('/_stratus/reset', stratus.url), { method: 'POST' });
    const clientMs = performance.now() - began;
    const cpuMs = (cpuSeconds(stratus.child.pid!) - cpuBefore) * 1000;
    const report = (await response.json()) as {
      tables: Record<string, number>;
      workItems: number;
      durationMs: number;
    };
    const rows = Object.values(report.tables).reduce((sum, n) => sum + n, 0) + report.workItems;
    console.log(
      [
        String(round).padStart(5),
        String(rows).padStart(12),
        report.durationMs.toFixed(1).padStart(9),
        clientMs.toFixed(1).padStart(9),
        cpuMs.toFixed(0).padStart(13),
      ].join(' | '),
    );
  }
} finally {
  stratus.child.kill();
  rmSync(work, { recursive: true, force: true });
}
