/**
 * A snapshot is the same file from either engine: saved from a server on SQLite, it loads into
 * one on PostgreSQL, and back. Needs PostgreSQL, so it runs when STRATUS_TEST_STORE names one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { ManualClock } from '../src/engine/clock.js';
import { createFunction } from './support/lambda.js';
import {
  clientsOf,
  counterCode,
  invoke,
  loadSnapshot,
  populate,
  populatedState,
  readState,
  resetStratus,
  saveSnapshot,
  type Clients,
} from './support/state.js';
import { startTestStratus, type TestStratus } from './support/stratus.js';

const postgres = process.env.STRATUS_TEST_STORE?.startsWith('postgres') ?? false;
const t0 = Date.UTC(2026, 10, 4, 8, 0, 0);

describe.skipIf(!postgres)('snapshots across engines', () => {
  const clock = new ManualClock(t0);
  let onSqlite: TestStratus;
  let onPostgres: TestStratus;
  let sqlite: Clients;
  let pg: Clients;

  beforeAll(async () => {
    onSqlite = await startTestStratus({ clock, storeUrl: 'sqlite:' });
    onPostgres = await startTestStratus({ clock });
    sqlite = clientsOf(onSqlite);
    pg = clientsOf(onPostgres);
  });
  afterAll(async () => {
    sqlite?.destroy();
    pg?.destroy();
    await onSqlite?.close();
    await onPostgres?.close();
  });

  const bodies = async (c: Clients, url: string) =>
    (
      await c.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: `${url}/000000000000/orders`, MaxNumberOfMessages: 10 }),
      )
    ).Messages?.map((m) => m.Body) ?? [];

  it('saved on SQLite, loads on PostgreSQL, goes on working there, and comes back', async () => {
    const health = (url: string) =>
      fetch(`${url}/_stratus/health`).then((r) => r.json() as Promise<{ store: { engine: string } }>);
    expect((await health(onSqlite.url)).store.engine).toBe('sqlite');
    expect((await health(onPostgres.url)).store.engine).toBe('postgres');
    await populate(sqlite, t0);

    const { status, body } = await loadSnapshot(onPostgres.url, await saveSnapshot(onSqlite.url));
    expect(status).toBe(200);
    expect(body.upgradedBy).toEqual([]);
    expect(await readState(pg, onPostgres)).toEqual(populatedState);
    expect(await invoke(pg.lambda, 'counter')).toEqual({ count: 1 });
    expect(await bodies(pg, onPostgres.url)).toEqual(['visible']);

    // New rows on PostgreSQL take ids after the loaded ones (identity sequences moved past them).
    await createFunction(pg.lambda, 'second', counterCode);
    await pg.sqs.send(new CreateQueueCommand({ QueueName: 'second' }));
    await pg.sqs.send(
      new SendMessageCommand({ QueueUrl: `${onPostgres.url}/000000000000/orders`, MessageBody: 'more' }),
    );
    await pg.logs.send(new CreateLogStreamCommand({ logGroupName: '/app/test', logStreamName: 'second' }));
    await pg.logs.send(
      new PutLogEventsCommand({
        logGroupName: '/app/test',
        logStreamName: 'second',
        logEvents: [{ timestamp: t0, message: 'from postgres' }],
      }),
    );

    await resetStratus(onSqlite.url);
    expect((await loadSnapshot(onSqlite.url, await saveSnapshot(onPostgres.url))).status).toBe(200);
    const back = await readState(sqlite, onSqlite);
    expect(back.functions).toEqual(['counter', 'second']);
    expect(back.queues).toEqual(['jobs', 'orders', 'second']);
    expect(back.logEvents).toEqual(['hello from the fixture', 'from postgres']);
    expect(await invoke(sqlite.lambda, 'second')).toEqual({ count: 1 });
  });
});
