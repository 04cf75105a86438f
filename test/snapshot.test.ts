/**
 * Snapshots through `POST /_stratus/snapshot` and `PUT /_stratus/snapshot`: the whole state to
 * one file and back, into a running server, refused whole when damaged or from a newer Stratus,
 * brought up to date when from an older one.
 */
import { randomBytes } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CreateFunctionCommand } from '@aws-sdk/client-lambda';
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { PublishCommand } from '@aws-sdk/client-sns';
import { ManualClock } from '../src/engine/clock.js';
import { testRole } from './support/lambda.js';
import {
  clientsOf,
  emptyState,
  invoke,
  loadSnapshot,
  populate,
  populatedState,
  readState,
  resetStratus,
  rewriteSnapshot,
  saveSnapshot,
  type Clients,
} from './support/state.js';
import { startTestStratus, type TestStratus } from './support/stratus.js';
import { zipOf } from './support/zip.js';

const t0 = Date.UTC(2026, 10, 3, 8, 0, 0);

describe('snapshots', () => {
  const clock = new ManualClock(t0);
  let stratus: TestStratus;
  let c: Clients;

  beforeAll(async () => {
    stratus = await startTestStratus({ clock });
    c = clientsOf(stratus);
  });
  afterAll(async () => {
    c?.destroy();
    await stratus?.close();
  });
  beforeEach(async () => {
    clock.set(t0);
    await resetStratus(stratus.url);
    await populate(c, t0);
  });

  const bodies = async (queue: string) =>
    (
      await c.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queue, MaxNumberOfMessages: 10, VisibilityTimeout: 600 }),
      )
    ).Messages?.map((m) => m.Body) ?? [];

  it("save, reset, load: every service's state comes back, functions run and messages keep their timing", async () => {
    const file = await saveSnapshot(stratus.url);
    expect(gunzipSync(file).toString('utf8').split('\n')[0]).toMatch(
      /^\{"format":"stratus-snapshot","formatVersion":1,/,
    );
    await resetStratus(stratus.url);
    expect(await readState(c, stratus)).toEqual(emptyState);

    const { status, body } = await loadSnapshot(stratus.url, file);
    expect(status).toBe(200);
    expect(body).toMatchObject({ blobs: 2, upgradedBy: [], createdAt: new Date(t0).toISOString() });
    expect(await readState(c, stratus)).toEqual(populatedState);
    expect(await invoke(c.lambda, 'counter')).toEqual({ count: 1 });

    const orders = `${stratus.url}/000000000000/orders`;
    expect(await bodies(orders)).toEqual(['visible']);
    clock.advance(61_000);
    expect(await bodies(orders)).toEqual(['in flight']);
    clock.advance(60_000);
    expect(await bodies(orders)).toEqual(['delayed']);

    // What is made after the load gets ids of its own, past the loaded ones.
    await c.sqs.send(new SendMessageCommand({ QueueUrl: orders, MessageBody: 'new' }));
    expect(await bodies(orders)).toEqual(['new']);
    await c.sqs.send(new CreateQueueCommand({ QueueName: 'later' }));
    await c.lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'later',
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        Role: testRole,
        Code: { ZipFile: await zipOf({ 'index.js': 'exports.handler = async () => 7;' }) },
      }),
    );
    await c.sns.send(
      new PublishCommand({ TopicArn: 'arn:aws:sns:us-east-1:000000000000:events', Message: 'hi' }),
    );
    expect((await readState(c, stratus)).queues).toEqual(['jobs', 'later', 'orders']);
  });

  it('loads into a running server: warm functions stop, and what was made since is gone', async () => {
    const file = await saveSnapshot(stratus.url);
    await invoke(c.lambda, 'counter');
    expect(await invoke(c.lambda, 'counter')).toEqual({ count: 2 });
    await c.sqs.send(new CreateQueueCommand({ QueueName: 'made-since' }));

    expect((await loadSnapshot(stratus.url, file)).status).toBe(200);
    expect(await readState(c, stratus)).toEqual(populatedState);
    expect(await invoke(c.lambda, 'counter')).toEqual({ count: 1 });
  });

  it('refuses a damaged snapshot and leaves the old state whole, warm functions included', async () => {
    const file = await saveSnapshot(stratus.url);
    await c.sqs.send(new CreateQueueCommand({ QueueName: 'kept' }));
    await invoke(c.lambda, 'counter');
    const damaged = {
      'not gzip': Buffer.from('hello'),
      truncated: file.subarray(0, Math.floor(file.length / 2)),
      'a changed row': gzipSync(gunzipSync(file).toString('utf8').replace('"orders"', '"ordets"')),
    };
    for (const [what, bytes] of Object.entries(damaged)) {
      const { status, body } = await loadSnapshot(stratus.url, bytes);
      expect({ what, status, type: body.__type }).toEqual({ what, status: 400, type: 'InvalidSnapshot' });
      expect(body.message).toMatch(/gzip|truncated|checksum|damaged/);
    }
    expect(await readState(c, stratus)).toEqual({
      ...populatedState,
      queues: ['jobs', 'kept', 'orders'],
      // The invocation's own log group and metrics.
      logGroups: ['/app/test', '/aws/lambda/counter'],
      metrics: expect.arrayContaining(['App/Orders']),
    });
    expect(await invoke(c.lambda, 'counter')).toEqual({ count: 2 });
  });

  it('refuses a snapshot from a newer Stratus, with what to do', async () => {
    const newer = rewriteSnapshot(await saveSnapshot(stratus.url), ([header, ...rest]) => [
      {
        ...header,
        stratusVersion: '9.0.0',
        migrations: [...(header!.migrations as string[]), 'sqs-099-future'],
      },
      ...rest,
    ]);
    const { status, body } = await loadSnapshot(stratus.url, newer);
    expect(status).toBe(400);
    expect(body.message).toBe(
      'This snapshot was written by a newer Stratus (9.0.0, with migrations this one lacks: sqs-099-future); upgrade Stratus to load it.',
    );
    expect(await readState(c, stratus)).toEqual(populatedState);
  });

  it('refuses a table or column this Stratus does not know', async () => {
    const file = await saveSnapshot(stratus.url);
    const unknownTable = rewriteSnapshot(file, (lines) => [
      ...lines,
      { table: 'stepfunctions_state_machines', columns: ['a'] },
    ]);
    expect((await loadSnapshot(stratus.url, unknownTable)).body.message).toBe(
      'The snapshot has a table this Stratus does not know: stepfunctions_state_machines.',
    );
    const unknownColumn = rewriteSnapshot(file, (lines) =>
      lines.map((line) =>
        line.table === 'sqs_queues'
          ? { ...line, columns: [...(line.columns as string[]).slice(0, -1), 'colour'] }
          : line,
      ),
    );
    expect((await loadSnapshot(stratus.url, unknownColumn)).body.message).toBe(
      "The snapshot's table sqs_queues has unknown columns: colour.",
    );
    expect(await readState(c, stratus)).toEqual(populatedState);
  });

  it('loads a snapshot from an older Stratus, running the migrations it lacks on its rows', async () => {
    // A work item no worker claims, to see its row brought through the ordering-keys migration.
    await stratus.store.run(
      "INSERT INTO work_items (queue, payload, run_at, attempts) VALUES ('test-unclaimed', '{\"n\":1}', ?, 0)",
      [t0],
    );
    const older = rewriteSnapshot(await saveSnapshot(stratus.url), ([header, ...rest]) => {
      const dropped = new Set(['storage-002-ordering-keys', 'sns-002-sms-attributes']);
      const lines: Record<string, unknown>[] = [
        {
          ...header,
          stratusVersion: '0.0.9',
          migrations: (header!.migrations as string[]).filter((id) => !dropped.has(id)),
        },
      ];
      let table: string | undefined;
      let keep: number[] = [];
      for (const line of rest) {
        if ('table' in line) {
          table = line.table as string;
          if (table === 'sns_sms_attributes') continue;
          const columns = line.columns as string[];
          keep = columns
            .map((_, i) => i)
            .filter((i) => table !== 'work_items' || !['ordering_key', 'blocked'].includes(columns[i]!));
          lines.push({ table, columns: keep.map((i) => columns[i]) });
          continue;
        }
        if ('rows' in line) {
          if (table === 'sns_sms_attributes') continue;
          lines.push({ rows: (line.rows as unknown[][]).map((row) => keep.map((i) => row[i])) });
          continue;
        }
        lines.push(line);
      }
      return lines;
    });
    expect(gunzipSync(older).toString()).not.toContain('ordering_key');
    await resetStratus(stratus.url);

    const { status, body } = await loadSnapshot(stratus.url, older);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      stratusVersion: '0.0.9',
      upgradedBy: ['storage-002-ordering-keys', 'sns-002-sms-attributes'],
    });
    expect(await readState(c, stratus)).toEqual(populatedState);
    expect(
      await stratus.store.all(
        "SELECT payload, ordering_key, blocked FROM work_items WHERE queue = 'test-unclaimed'",
      ),
    ).toEqual([{ payload: '{"n":1}', ordering_key: null, blocked: 0 }]);
    expect(await invoke(c.lambda, 'counter')).toEqual({ count: 1 });
    expect(await bodies(`${stratus.url}/000000000000/orders`)).toEqual(['visible']);
  });

  it('needs the blobs its rows name', async () => {
    const withoutCode = rewriteSnapshot(await saveSnapshot(stratus.url), (lines) =>
      lines.filter(
        (line, i) => !('blob' in line) && !('data' in line && lines.slice(0, i).some((l) => 'blob' in l)),
      ),
    );
    await resetStratus(stratus.url);
    const { status, body } = await loadSnapshot(stratus.url, withoutCode);
    expect(status).toBe(400);
    expect(body.message).toMatch(
      /^The snapshot's rows name blob [0-9a-f]{64}, which neither it nor this Stratus has\.$/,
    );
    expect(await readState(c, stratus)).toEqual(emptyState);
  });
});

describe('snapshot uploads', () => {
  it('are streamed to disk, not bounded by the request size limit of the AWS APIs', async () => {
    const small = await startTestStratus({ maxRequestBytes: 8192 });
    const c = clientsOf(small);
    try {
      await populate(c);
      const queue = (await c.sqs.send(new CreateQueueCommand({ QueueName: 'big' }))).QueueUrl!;
      const body = () => randomBytes(3000).toString('base64');
      for (let i = 0; i < 10; i++)
        await c.sqs.send(new SendMessageCommand({ QueueUrl: queue, MessageBody: body() }));
      const file = await saveSnapshot(small.url);
      expect(file.length).toBeGreaterThan(4 * 8192);
      await resetStratus(small.url);
      expect((await loadSnapshot(small.url, file)).status).toBe(200);
      expect((await readState(c, small)).queues).toEqual(['big', 'jobs', 'orders']);
      const tooLarge = await fetch(small.url, { method: 'POST', body: file });
      expect(tooLarge.status).toBe(413);
    } finally {
      c.destroy();
      await small.close();
    }
  });
});
