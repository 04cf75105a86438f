/**
 * kill -9 while a producer sends 10 000 messages (half to a standard queue, half to a FIFO queue
 * in four groups) and a consumer receives and deletes them. After a restart on the same store:
 * every acknowledged send is delivered at least once, no message whose delete was acknowledged
 * comes back, the FIFO queue holds no duplicate (the producer's resends are deduplicated) and
 * never reorders a group.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { PostgresStore } from '../src/storage/postgres.js';
import { startServer } from './support/processes.js';
import { startTestStratus, testStoreUrl } from './support/stratus.js';

const total = 10_000;
const killAfter = 3_000;
const groups = 4;

const client = (endpoint: string) =>
  new SQSClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });

interface Ledger {
  acknowledged: Set<string>;
  /** Body → the MessageIds it was received under. */
  messageIds: Map<string, Set<string>>;
  received: Set<string>;
  deletedIds: Set<string>;
  /** Message ids received again after their delete was acknowledged. */
  resurrected: string[];
  /** Per FIFO group, the indexes in the order they were first received. */
  groupOrder: Map<string, number[]>;
}

function batchOf(first: number): {
  queue: 'standard' | 'fifo';
  entries: { Id: string; MessageBody: string; MessageGroupId?: string; MessageDeduplicationId?: string }[];
} {
  const fifo = (first / 10) % 2 === 1;
  const entries = Array.from({ length: 10 }, (_, n) => {
    const i = first + n;
    if (!fifo) return { Id: `e${n}`, MessageBody: `s-${i}` };
    return {
      Id: `e${n}`,
      MessageBody: `f-${i}`,
      MessageGroupId: `g${i % groups}`,
      MessageDeduplicationId: `f-${i}`,
    };
  });
  return { queue: fifo ? 'fifo' : 'standard', entries };
}

describe('SQS durability', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'stratus-sqs-durable-'));
  const storeUrl = testStoreUrl();
  afterAll(async () => {
    if (storeUrl) await (await PostgresStore.open({ url: storeUrl })).close({ dropSchema: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    'kill -9 during sends and deletes loses no acknowledged message and resurrects no deleted one',
    { timeout: 240_000 },
    async () => {
      const { child, url } = await startServer('test/support/serve.ts', [dataDir, storeUrl ?? '']);
      const exited = new Promise((resolve) => child.once('exit', resolve));
      let sqs = client(url);
      const queues = {
        standard: (
          await sqs.send(
            new CreateQueueCommand({ QueueName: 'durable', Attributes: { VisibilityTimeout: '1' } }),
          )
        ).QueueUrl!,
        fifo: (
          await sqs.send(
            new CreateQueueCommand({
              QueueName: 'durable.fifo',
              Attributes: { FifoQueue: 'true', VisibilityTimeout: '1' },
            }),
          )
        ).QueueUrl!,
      };
      const pathOf = (u: string) => new URL(u).pathname;
      const ledger: Ledger = {
        acknowledged: new Set(),
        messageIds: new Map(),
        received: new Set(),
        deletedIds: new Set(),
        resurrected: [],
        groupOrder: new Map(),
      };
      let nextBatch = 0;
      let alive = true;
      let killed = false;

      // Sends batches in order; returns when all are acknowledged or the server is gone.
      const produce = async (endpoint: string) => {
        while (nextBatch < total && alive) {
          const { queue, entries } = batchOf(nextBatch);
          try {
            const out = await sqs.send(
              new SendMessageBatchCommand({
                QueueUrl: `${endpoint}${pathOf(queues[queue])}`,
                Entries: entries,
              }),
            );
            if (out.Failed?.length) throw new Error(`send failed: ${JSON.stringify(out.Failed)}`);
            for (const e of entries) ledger.acknowledged.add(e.MessageBody);
            nextBatch += 10;
            if (ledger.acknowledged.size >= killAfter && !killed) {
              killed = true;
              child.kill('SIGKILL');
            }
          } catch (err) {
            // Before the kill, or after the restart, a failure is a real one.
            if (!killed || endpoint !== url) throw err;
            return;
          }
        }
      };

      const consume = async (endpoint: string, done: () => boolean) => {
        while (!done()) {
          for (const queue of ['standard', 'fifo'] as const) {
            const queueUrl = `${endpoint}${pathOf(queues[queue])}`;
            let messages;
            try {
              messages =
                (
                  await sqs.send(
                    new ReceiveMessageCommand({
                      QueueUrl: queueUrl,
                      MaxNumberOfMessages: 10,
                      WaitTimeSeconds: 1,
                    }),
                  )
                ).Messages ?? [];
            } catch (err) {
              if (endpoint !== url) throw err;
              return;
            }
            for (const m of messages) {
              const body = m.Body!;
              if (ledger.deletedIds.has(m.MessageId!)) ledger.resurrected.push(m.MessageId!);
              const ids = ledger.messageIds.get(body) ?? new Set();
              ids.add(m.MessageId!);
              ledger.messageIds.set(body, ids);
              if (queue === 'fifo' && !ledger.received.has(body)) {
                const index = Number(body.slice(2));
                const group = `g${index % groups}`;
                ledger.groupOrder.set(group, [...(ledger.groupOrder.get(group) ?? []), index]);
              }
              ledger.received.add(body);
            }
            if (messages.length === 0) continue;
            try {
              const out = await sqs.send(
                new DeleteMessageBatchCommand({
                  QueueUrl: queueUrl,
                  Entries: messages.map((m, n) => ({ Id: `d${n}`, ReceiptHandle: m.ReceiptHandle! })),
                }),
              );
              for (const ok of out.Successful ?? [])
                ledger.deletedIds.add(messages[Number(ok.Id!.slice(1))]!.MessageId!);
            } catch (err) {
              if (endpoint !== url) throw err;
              return;
            }
          }
        }
      };

      await Promise.all([produce(url), consume(url, () => killed)]);
      alive = false;
      await exited;
      sqs.destroy();
      expect(ledger.acknowledged.size).toBeGreaterThanOrEqual(killAfter);
      const beforeKill = ledger.deletedIds.size;
      expect(beforeKill).toBeGreaterThan(0);

      const restarted = await startTestStratus({ dataDir, storeUrl });
      sqs = client(restarted.url);
      alive = true;
      const deadline = Date.now() + 150_000;
      const empty = async () => {
        for (const queue of Object.values(queues)) {
          const { Attributes } = await sqs.send(
            new GetQueueAttributesCommand({
              QueueUrl: `${restarted.url}${pathOf(queue)}`,
              AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
            }),
          );
          if (
            Attributes!.ApproximateNumberOfMessages !== '0' ||
            Attributes!.ApproximateNumberOfMessagesNotVisible !== '0'
          )
            return false;
        }
        return true;
      };
      let finished = false;
      // The producer resends from its first unacknowledged batch, as a real one would.
      await Promise.all([
        produce(restarted.url).then(() => undefined),
        consume(restarted.url, () => finished || Date.now() > deadline),
        (async () => {
          while (!finished && Date.now() <= deadline) {
            await new Promise((r) => setTimeout(r, 500));
            if (
              nextBatch >= total &&
              [...ledger.acknowledged].every((b) => ledger.received.has(b)) &&
              (await empty())
            )
              finished = true;
          }
        })(),
      ]);
      sqs.destroy();
      await restarted.stop();

      expect(ledger.acknowledged.size).toBe(total);
      const lost = [...ledger.acknowledged].filter((b) => !ledger.received.has(b));
      expect(lost).toEqual([]);
      expect(ledger.resurrected).toEqual([]);
      const fifoDuplicates = [...ledger.messageIds].filter(
        ([body, ids]) => body.startsWith('f-') && ids.size > 1,
      );
      expect(fifoDuplicates).toEqual([]);
      for (const [group, order] of ledger.groupOrder) {
        const sorted = [...order].sort((a, b) => a - b);
        expect(order, `group ${group} order`).toEqual(sorted);
      }
      expect(ledger.groupOrder.size).toBe(groups);
    },
  );
});
