import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DescribeLogGroupsCommand,
  GetLogEventsCommand,
  PutLogEventsCommand,
  PutRetentionPolicyCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { startServer } from './support/processes.js';
import { startTestStratus, testStoreUrl } from './support/stratus.js';
import { PostgresStore } from '../src/storage/postgres.js';

const clientConfig = (endpoint: string) => ({
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  maxAttempts: 1,
});

describe('durability', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'stratus-durable-'));
  const storeUrl = testStoreUrl();

  afterAll(async () => {
    if (storeUrl) await (await PostgresStore.open({ url: storeUrl })).close({ dropSchema: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a restarted server keeps every log group, setting and event', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stratus-restart-'));
    const url = testStoreUrl();
    const first = await startTestStratus({ dataDir: dir, storeUrl: url });
    const logs = new CloudWatchLogsClient(first.clientConfig);
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'kept', tags: { a: 'b' } }));
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: 'kept', retentionInDays: 7 }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: 'kept', logStreamName: 's' }));
    await logs.send(
      new PutLogEventsCommand({
        logGroupName: 'kept',
        logStreamName: 's',
        logEvents: [{ timestamp: Date.now(), message: 'hi' }],
      }),
    );
    await first.stop();
    logs.destroy();

    const second = await startTestStratus({ dataDir: dir, storeUrl: url });
    const again = new CloudWatchLogsClient(second.clientConfig);
    const groups = await again.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'kept' }));
    expect(groups.logGroups?.[0]).toMatchObject({ logGroupName: 'kept', retentionInDays: 7 });
    const events = await again.send(new GetLogEventsCommand({ logGroupName: 'kept', logStreamName: 's' }));
    expect(events.events?.map((e) => e.message)).toEqual(['hi']);
    again.destroy();
    await second.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('kill -9 during writes loses no acknowledged PutLogEvents', async () => {
    const { child, url } = await startServer('test/support/serve.ts', [dataDir, storeUrl ?? '']);
    const logs = new CloudWatchLogsClient(clientConfig(url));
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'crash' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: 'crash', logStreamName: 's' }));

    const acknowledged: string[] = [];
    const exited = new Promise((resolve) => child.once('exit', resolve));
    // Four writers in parallel so the kill lands while several writes are in flight.
    const writer = async (id: number) => {
      for (let i = 0; i < 10_000; i++) {
        const message = `w${id}-${i}`;
        try {
          await logs.send(
            new PutLogEventsCommand({
              logGroupName: 'crash',
              logStreamName: 's',
              logEvents: [{ timestamp: Date.now(), message }],
            }),
          );
          acknowledged.push(message);
          if (acknowledged.length === 300) child.kill('SIGKILL');
        } catch {
          return; // the server is gone: this write was never acknowledged
        }
      }
    };
    await Promise.all([0, 1, 2, 3].map(writer));
    await exited;
    logs.destroy();
    expect(acknowledged.length).toBeGreaterThanOrEqual(300);

    const restarted = await startTestStratus({ dataDir, storeUrl });
    const reader = new CloudWatchLogsClient(restarted.clientConfig);
    const stored = new Set<string>();
    let token: string | undefined;
    for (;;) {
      const page = await reader.send(
        new GetLogEventsCommand({
          logGroupName: 'crash',
          logStreamName: 's',
          startFromHead: true,
          nextToken: token,
        }),
      );
      for (const e of page.events ?? []) stored.add(e.message!);
      if (page.nextForwardToken === token) break;
      token = page.nextForwardToken;
    }
    const lost = acknowledged.filter((m) => !stored.has(m));
    expect(lost).toEqual([]);
    reader.destroy();
    await restarted.stop();
  });
});
