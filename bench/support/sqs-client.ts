/**
 * The SQS measuring client, in its own process: each worker loops SendMessageBatch (10) →
 * ReceiveMessage (up to 10) → DeleteMessageBatch through the AWS SDK for a given time. Prints one
 * JSON line: messages sent and deleted, seconds, and request latencies.
 *   node --import tsx bench/support/sqs-client.ts <endpoint> <queueUrl> <concurrency> <seconds>
 */
import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { benchClientConfig } from './client-config.js';
import { messageBody } from './sqs-bodies.js';
import { percentile } from './stats.js';

const [endpoint, queueUrl, concurrencyText = '8', secondsText = '5'] = process.argv.slice(2);
const concurrency = Number(concurrencyText);
const durationMs = Number(secondsText) * 1000;

const client = new SQSClient(benchClientConfig(endpoint, concurrency));

const latencies: number[] = [];
let sent = 0;
let deleted = 0;
const deadline = performance.now() + durationMs;

async function timed<T>(work: Promise<T>): Promise<T> {
  const start = performance.now();
  const result = await work;
  latencies.push(performance.now() - start);
  return result;
}

async function worker(): Promise<void> {
  while (performance.now() < deadline) {
    const Entries = Array.from({ length: 10 }, (_, n) => ({ Id: `m${n}`, MessageBody: messageBody(n) }));
    const out = await timed(client.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries })));
    sent += out.Successful?.length ?? 0;
    const { Messages = [] } = await timed(
      client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 })),
    );
    if (Messages.length === 0) continue;
    const done = await timed(
      client.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: Messages.map((m, n) => ({ Id: `d${n}`, ReceiptHandle: m.ReceiptHandle! })),
        }),
      ),
    );
    deleted += done.Successful?.length ?? 0;
  }
}

const began = performance.now();
await Promise.all(Array.from({ length: concurrency }, () => worker()));
const seconds = (performance.now() - began) / 1000;
latencies.sort((a, b) => a - b);
process.stdout.write(
  JSON.stringify({ sent, deleted, seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) }) +
    '\n',
);
client.destroy();
