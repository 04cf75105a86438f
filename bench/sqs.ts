/**
 * npm run bench:sqs — SQS throughput end to end.
 *
 * (a) Stratus in its own process; an AWS SDK client in another runs SendMessageBatch (10) →
 *     ReceiveMessage (10) → DeleteMessageBatch loops. Messages/s = messages deleted per second.
 * (b) The baseline, in this run: the same number of batched inserts (10 rows, one transaction)
 *     and batched deletes straight into a store of the same engine and durability.
 * Target: ≥ 10 000 messages/s end to end.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { openStore } from '../src/storage/open.js';
import { runJson, startServer } from '../test/support/processes.js';

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

const work = mkdtempSync(join(tmpdir(), 'stratus-bench-'));
const stratus = await startServer('test/support/serve.ts', [join(work, 'data'), storeUrl]);
try {
  const setup = new SQSClient({
    endpoint: stratus.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  console.log(
    `bench:sqs — SendMessageBatch → ReceiveMessage → DeleteMessageBatch through the AWS SDK, ${seconds}s each`,
  );
  console.log(`${clients} client processes; concurrency is per process`);
  console.log('concurrency | stratus msg/s | baseline msg/s | ratio | request p50/p99 ms');
  let best = 0;
  for (const concurrency of concurrencies) {
    const { QueueUrl } = await setup.send(new CreateQueueCommand({ QueueName: `bench-${concurrency}` }));
    const results = await Promise.all(
      Array.from({ length: clients }, () =>
        runJson<ClientResult>('bench/support/sqs-client.ts', [
          stratus.url,
          QueueUrl!,
          String(concurrency),
          String(seconds),
        ]),
      ),
    );
    const deleted = results.reduce((sum, r) => sum + r.deleted, 0);
    const rate = deleted / Math.max(...results.map((r) => r.seconds));
    const result = {
      deleted,
      p50: Math.max(...results.map((r) => r.p50)),
      p99: Math.max(...results.map((r) => r.p99)),
    };
    const base = await baseline(result.deleted);
    best = Math.max(best, rate);
    console.log(
      `${String(concurrency).padStart(11)} | ${rate.toFixed(0).padStart(13)} | ${base.toFixed(0).padStart(14)} | ${(
        rate / base
      )
        .toFixed(2)
        .padStart(5)} | ${result.p50.toFixed(2)}/${result.p99.toFixed(2)}`,
    );
  }
  setup.destroy();
  console.log(
    `best ${best.toFixed(0)} messages/s (target ≥ ${target}): ${best >= target ? 'met' : 'NOT met'}`,
  );
} finally {
  stratus.child.kill();
  rmSync(work, { recursive: true, force: true });
}
