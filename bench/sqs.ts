/**
 * npm run bench:sqs — SQS throughput end to end.
 *
 * (a) Stratus in its own process; an AWS SDK client in another runs SendMessageBatch (10) →
 *     ReceiveMessage (10) → DeleteMessageBatch loops. Messages/s = messages deleted per second.
 * (b) The baseline, in this run: the same number of batched inserts (10 rows, one transaction)
 *     and batched deletes straight into a store of the same engine and durability.
 * (c) For reading (a): the SDK's own ceiling — the same clients against a bare node:http server
 *     that replays Stratus's captured answers, i.e. what the clients manage with a free server.
 * Target: ≥ 10 000 messages/s end to end.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { openStore } from '../src/storage/open.js';
import { runJson, startServer } from '../test/support/processes.js';
import { messageBody } from './support/sqs-bodies.js';

interface ClientResult {
  sent: number;
  deleted: number;
  seconds: number;
  p50: number;
  p99: number;
}

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
/** Client processes, each running `concurrency` loops: one SDK process cannot keep a server busy. */
const clients = Number(process.env.BENCH_CLIENTS ?? 2);
const concurrencies = (process.env.BENCH_CONCURRENCY ?? '4,8').split(',').map(Number);
const storeUrl = process.env.STRATUS_BENCH_STORE ?? '';
const target = 10_000;

/** Batched inserts of 10 rows and deletes of them by key, in transactions, for `messages` messages. */
async function baseline(messages: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'stratus-bench-store-'));
  const store = await openStore({ url: storeUrl || undefined, dataDir: dir, durability: 'normal' });
  try {
    await store.run(`DROP TABLE IF EXISTS bench_messages`);
    await store.run(
      `CREATE TABLE bench_messages (seq ${store.dialect.autoIncrementPrimaryKey}, queue_id BIGINT NOT NULL,
       message_id TEXT NOT NULL, body TEXT NOT NULL, sent_at BIGINT NOT NULL, visible_at BIGINT NOT NULL)`,
    );
    const values = Array.from({ length: 10 }, () => '(?, ?, ?, ?, ?)').join(', ');
    const began = performance.now();
    for (let done = 0; done < messages; done += 10) {
      const params = Array.from({ length: 10 }, (_, n) => [
        1,
        `id-${done + n}`,
        `{"n":${n}}`,
        Date.now(),
        0,
      ]).flat();
      const rows = await store.transaction((tx) =>
        tx.all<{ seq: number }>(
          `INSERT INTO bench_messages (queue_id, message_id, body, sent_at, visible_at) VALUES ${values} RETURNING seq`,
          params,
        ),
      );
      const seqs = rows.map((r) => r.seq);
      await store.transaction((tx) =>
        tx.run(`DELETE FROM bench_messages WHERE seq IN (${seqs.map(() => '?').join(', ')})`, seqs),
      );
    }
    return messages / ((performance.now() - began) / 1000);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs `clients` client processes at `concurrency` each against one queue; messages/s and latencies. */
async function drive(endpoint: string, queueUrl: string, concurrency: number) {
  const results = await Promise.all(
    Array.from({ length: clients }, () =>
      runJson<ClientResult>('bench/support/sqs-client.ts', [
        endpoint,
        queueUrl,
        String(concurrency),
        String(seconds),
      ]),
    ),
  );
  const deleted = results.reduce((sum, r) => sum + r.deleted, 0);
  return {
    deleted,
    rate: deleted / Math.max(...results.map((r) => r.seconds)),
    p50: Math.max(...results.map((r) => r.p50)),
    p99: Math.max(...results.map((r) => r.p99)),
  };
}

/** One answer of each operation from Stratus, for the bare server to replay. */
async function capture(endpoint: string, queueUrl: string, file: string): Promise<void> {
  const call = async (operation: string, body: object) => {
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: { 'x-amz-target': `AmazonSQS.${operation}`, 'content-type': 'application/x-amz-json-1.0' },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    return {
      status: res.status,
      headers: { 'content-type': res.headers.get('content-type') ?? '', 'x-amzn-requestid': 'bench' },
      body: text,
    };
  };
  const entries = Array.from({ length: 10 }, (_, n) => ({ Id: `m${n}`, MessageBody: messageBody(n) }));
  const send = await call('SendMessageBatch', { QueueUrl: queueUrl, Entries: entries });
  const receive = await call('ReceiveMessage', { QueueUrl: queueUrl, MaxNumberOfMessages: 10 });
  const handles = (JSON.parse(receive.body) as { Messages: { ReceiptHandle: string }[] }).Messages;
  const remove = await call('DeleteMessageBatch', {
    QueueUrl: queueUrl,
    Entries: handles.map((m, n) => ({ Id: `d${n}`, ReceiptHandle: m.ReceiptHandle })),
  });
  writeFileSync(
    file,
    JSON.stringify({
      'AmazonSQS.SendMessageBatch': send,
      'AmazonSQS.ReceiveMessage': receive,
      'AmazonSQS.DeleteMessageBatch': remove,
    }),
  );
}

const work = mkdtempSync(join(tmpdir(), 'stratus-bench-'));
const stratus = await startServer('test/support/serve.ts', [join(work, 'data'), storeUrl]);
const capturedFile = join(work, 'captured.json');
let bare: Awaited<ReturnType<typeof startServer>> | undefined;
try {
  const setup = new SQSClient({
    endpoint: stratus.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  await capture(
    stratus.url,
    (await setup.send(new CreateQueueCommand({ QueueName: 'capture' }))).QueueUrl!,
    capturedFile,
  );
  bare = await startServer('bench/support/bare-server.ts', [capturedFile]);
  console.log(
    `bench:sqs — SendMessageBatch → ReceiveMessage → DeleteMessageBatch through the AWS SDK, ${seconds}s each`,
  );
  console.log(`${clients} client processes; concurrency is per process`);
  console.log(
    'concurrency | stratus msg/s | store baseline msg/s | ratio | SDK ceiling msg/s | of ceiling | stratus p50/p99 ms',
  );
  let best = 0;
  for (const concurrency of concurrencies) {
    const { QueueUrl } = await setup.send(new CreateQueueCommand({ QueueName: `bench-${concurrency}` }));
    const result = await drive(stratus.url, QueueUrl!, concurrency);
    const base = await baseline(result.deleted);
    const ceiling = await drive(bare.url, QueueUrl!, concurrency);
    best = Math.max(best, result.rate);
    console.log(
      [
        String(concurrency).padStart(11),
        result.rate.toFixed(0).padStart(13),
        base.toFixed(0).padStart(20),
        (result.rate / base).toFixed(2).padStart(5),
        ceiling.rate.toFixed(0).padStart(17),
        (result.rate / ceiling.rate).toFixed(2).padStart(10),
        `${result.p50.toFixed(2)}/${result.p99.toFixed(2)}`,
      ].join(' | '),
    );
  }
  setup.destroy();
  console.log(
    `best ${best.toFixed(0)} messages/s (target ≥ ${target}): ${best >= target ? 'met' : 'NOT met'}`,
  );
} finally {
  stratus.child.kill();
  bare?.child.kill();
  rmSync(work, { recursive: true, force: true });
}
