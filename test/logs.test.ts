import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  DeleteLogStreamCommand,
  DeleteRetentionPolicyCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  InvalidParameterException,
  ListTagsForResourceCommand,
  ListTagsLogGroupCommand,
  PutLogEventsCommand,
  PutRetentionPolicyCommand,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  TagLogGroupCommand,
  TagResourceCommand,
  UntagLogGroupCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { ManualClock } from '../src/engine/clock.js';
import { startTestStratus, type TestStratus } from './support/stratus.js';

const day = 24 * 3600 * 1000;
const t0 = Date.UTC(2026, 10, 1, 12, 0, 0);

describe('CloudWatch Logs', () => {
  let stratus: TestStratus;
  let logs: CloudWatchLogsClient;
  const clock = new ManualClock(t0);

  beforeAll(async () => {
    stratus = await startTestStratus({ clock });
    logs = new CloudWatchLogsClient(stratus.clientConfig);
  });
  afterAll(async () => {
    logs?.destroy();
    await stratus?.close();
  });

  async function groupWithStream(group: string, stream = 'main'): Promise<void> {
    await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
  }

  async function put(group: string, stream: string, messages: string[], start = clock.now()) {
    return logs.send(
      new PutLogEventsCommand({
        logGroupName: group,
        logStreamName: stream,
        logEvents: messages.map((message, i) => ({ timestamp: start + i, message })),
      }),
    );
  }

  it('creates, describes and deletes log groups with ARNs in the caller account and region', async () => {
    await logs.send(
      new CreateLogGroupCommand({ logGroupName: '/groups/a', logGroupClass: 'INFREQUENT_ACCESS' }),
    );
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/groups/b' }));
    const { logGroups } = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/groups/' }));
    expect(logGroups?.map((g) => g.logGroupName)).toEqual(['/groups/a', '/groups/b']);
    expect(logGroups?.[0]).toMatchObject({
      arn: 'arn:aws:logs:us-east-1:000000000000:log-group:/groups/a:*',
      logGroupArn: 'arn:aws:logs:us-east-1:000000000000:log-group:/groups/a',
      creationTime: t0,
      logGroupClass: 'INFREQUENT_ACCESS',
      storedBytes: 0,
    });
    await logs.send(new DeleteLogGroupCommand({ logGroupName: '/groups/a' }));
    const after = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/groups/' }));
    expect(after.logGroups?.map((g) => g.logGroupName)).toEqual(['/groups/b']);
  });

  it('refuses a duplicate log group and a missing one with the SDK exception classes', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'dup' }));
    await expect(logs.send(new CreateLogGroupCommand({ logGroupName: 'dup' }))).rejects.toBeInstanceOf(
      ResourceAlreadyExistsException,
    );
    await expect(logs.send(new DeleteLogGroupCommand({ logGroupName: 'nope' }))).rejects.toThrow(
      'The specified log group does not exist.',
    );
    await expect(
      logs.send(
        new PutLogEventsCommand({
          logGroupName: 'dup',
          logStreamName: 'x',
          logEvents: [{ timestamp: t0, message: 'm' }],
        }),
      ),
    ).rejects.toThrow('The specified log stream does not exist.');
  });

  it('pages DescribeLogGroups with nextToken and matches logGroupNamePattern case-insensitively', async () => {
    for (let i = 0; i < 7; i++)
      await logs.send(new CreateLogGroupCommand({ logGroupName: `/page/Group-${i}` }));
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await logs.send(
        new DescribeLogGroupsCommand({ logGroupNamePrefix: '/page/', limit: 3, nextToken }),
      );
      expect(page.logGroups!.length).toBeLessThanOrEqual(3);
      names.push(...page.logGroups!.map((g) => g.logGroupName!));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(names).toHaveLength(7);
    const matched = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePattern: 'group-3' }));
    expect(matched.logGroups?.map((g) => g.logGroupName)).toEqual(['/page/Group-3']);
  });

  it('describes log streams with event times, ordered by name or by last event time', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'streams' }));
    for (const name of ['b', 'a', 'c']) {
      await logs.send(new CreateLogStreamCommand({ logGroupName: 'streams', logStreamName: name }));
    }
    await put('streams', 'c', ['old'], t0 - 1000);
    await put('streams', 'a', ['new'], t0);
    const byName = await logs.send(new DescribeLogStreamsCommand({ logGroupName: 'streams' }));
    expect(byName.logStreams?.map((s) => s.logStreamName)).toEqual(['a', 'b', 'c']);
    expect(byName.logStreams?.[0]).toMatchObject({
      firstEventTimestamp: t0,
      lastEventTimestamp: t0,
      lastIngestionTime: t0,
      arn: 'arn:aws:logs:us-east-1:000000000000:log-group:streams:log-stream:a',
    });
    const byTime = await logs.send(
      new DescribeLogStreamsCommand({ logGroupName: 'streams', orderBy: 'LastEventTime', descending: true }),
    );
    expect(byTime.logStreams?.map((s) => s.logStreamName)).toEqual(['a', 'c', 'b']);
    await expect(
      logs.send(
        new DescribeLogStreamsCommand({
          logGroupName: 'streams',
          orderBy: 'LastEventTime',
          logStreamNamePrefix: 'a',
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    await logs.send(new DeleteLogStreamCommand({ logGroupName: 'streams', logStreamName: 'b' }));
    const left = await logs.send(
      new DescribeLogStreamsCommand({ logGroupName: 'streams', logStreamNamePrefix: 'b' }),
    );
    expect(left.logStreams).toEqual([]);
  });

  it('GetLogEvents reads the newest events by default and walks forward and backward with tokens', async () => {
    await groupWithStream('paging');
    const messages = Array.from({ length: 25 }, (_, i) => `event ${i}`);
    await put('paging', 'main', messages);

    const tail = await logs.send(
      new GetLogEventsCommand({ logGroupName: 'paging', logStreamName: 'main', limit: 10 }),
    );
    expect(tail.events?.map((e) => e.message)).toEqual(messages.slice(15));

    const back = await logs.send(
      new GetLogEventsCommand({
        logGroupName: 'paging',
        logStreamName: 'main',
        limit: 10,
        nextToken: tail.nextBackwardToken,
      }),
    );
    expect(back.events?.map((e) => e.message)).toEqual(messages.slice(5, 15));

    const head: string[] = [];
    let token: string | undefined;
    for (;;) {
      const page = await logs.send(
        new GetLogEventsCommand({
          logGroupName: 'paging',
          logStreamName: 'main',
          limit: 10,
          startFromHead: true,
          nextToken: token,
        }),
      );
      head.push(...page.events!.map((e) => e.message!));
      // At the end of the stream AWS hands back the token it was given.
      if (page.nextForwardToken === token) break;
      token = page.nextForwardToken;
    }
    expect(head).toEqual(messages);

    // New events show up behind the last forward token, as `aws logs tail --follow` relies on.
    await put('paging', 'main', ['late'], clock.now() + 100);
    const more = await logs.send(
      new GetLogEventsCommand({ logGroupName: 'paging', logStreamName: 'main', nextToken: token }),
    );
    expect(more.events?.map((e) => e.message)).toEqual(['late']);
  });

  it('GetLogEvents honours startTime (inclusive) and endTime (exclusive)', async () => {
    await groupWithStream('window');
    await put('window', 'main', ['a', 'b', 'c', 'd'], t0);
    const page = await logs.send(
      new GetLogEventsCommand({
        logGroupName: 'window',
        logStreamName: 'main',
        startTime: t0 + 1,
        endTime: t0 + 3,
        startFromHead: true,
      }),
    );
    expect(page.events?.map((e) => e.message)).toEqual(['b', 'c']);
  });

  it('PutLogEvents rejects out-of-order batches and reports too old and too new events', async () => {
    await groupWithStream('rules');
    await expect(
      logs.send(
        new PutLogEventsCommand({
          logGroupName: 'rules',
          logStreamName: 'main',
          logEvents: [
            { timestamp: t0 + 5, message: 'b' },
            { timestamp: t0, message: 'a' },
          ],
        }),
      ),
    ).rejects.toThrow('Log events in a single PutLogEvents request must be in chronological order.');

    const now = clock.now();
    const result = await logs.send(
      new PutLogEventsCommand({
        logGroupName: 'rules',
        logStreamName: 'main',
        logEvents: [
          { timestamp: now - 14 * day - 3600_000, message: 'too old' },
          { timestamp: now - 14 * day - 1, message: 'too old too' },
          { timestamp: now - 14 * day + 3600_000, message: 'fine' },
        ],
      }),
    );
    expect(result.rejectedLogEventsInfo).toEqual({ tooOldLogEventEndIndex: 2 });
    const future = await logs.send(
      new PutLogEventsCommand({
        logGroupName: 'rules',
        logStreamName: 'main',
        logEvents: [
          { timestamp: now + 1, message: 'fine too' },
          { timestamp: now + 3 * 3600 * 1000, message: 'too new' },
        ],
      }),
    );
    expect(future.rejectedLogEventsInfo).toEqual({ tooNewLogEventStartIndex: 1 });
    const stored = await logs.send(new GetLogEventsCommand({ logGroupName: 'rules', logStreamName: 'main' }));
    expect(stored.events?.map((e) => e.message)).toEqual(['fine', 'fine too']);
  });

  it('FilterLogEvents searches every stream with terms and JSON selectors, interleaved by time', async () => {
    await groupWithStream('search', 'web');
    await logs.send(new CreateLogStreamCommand({ logGroupName: 'search', logStreamName: 'worker' }));
    await put('search', 'web', ['GET /ok 200', 'ERROR timeout', '{"level":"error","latency":250}'], t0);
    await put('search', 'worker', ['ERROR disk', '{"level":"info","latency":5}'], t0 + 1);

    const errors = await logs.send(
      new FilterLogEventsCommand({ logGroupName: 'search', filterPattern: 'ERROR' }),
    );
    expect(errors.events?.map((e) => [e.logStreamName, e.message])).toEqual([
      ['web', 'ERROR timeout'],
      ['worker', 'ERROR disk'],
    ]);

    const slow = await logs.send(
      new FilterLogEventsCommand({
        logGroupName: 'search',
        filterPattern: '{ $.latency > 100 && $.level = "error" }',
      }),
    );
    expect(slow.events?.map((e) => e.message)).toEqual(['{"level":"error","latency":250}']);

    const onlyWorker = await logs.send(
      new FilterLogEventsCommand({
        logGroupName: 'search',
        logStreamNames: ['worker'],
        filterPattern: '?disk ?timeout',
      }),
    );
    expect(onlyWorker.events?.map((e) => e.message)).toEqual(['ERROR disk']);

    await expect(
      logs.send(new FilterLogEventsCommand({ logGroupName: 'search', filterPattern: '{ $.latency >' })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
  });

  it('FilterLogEvents pages with nextToken until every match is returned once', async () => {
    await groupWithStream('filter-pages');
    const messages = Array.from({ length: 30 }, (_, i) => (i % 3 === 0 ? `hit ${i}` : `miss ${i}`));
    await put('filter-pages', 'main', messages, t0);
    const seen: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await logs.send(
        new FilterLogEventsCommand({
          logGroupName: 'filter-pages',
          filterPattern: 'hit',
          limit: 4,
          nextToken,
        }),
      );
      seen.push(...page.events!.map((e) => e.message!));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(seen).toEqual(messages.filter((m) => m.startsWith('hit')));
  });

  it('enforces retention: expired events disappear as soon as the clock passes the retention period', async () => {
    await groupWithStream('retained');
    await put('retained', 'main', ['day one'], clock.now());
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: 'retained', retentionInDays: 1 }));
    const described = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'retained' }));
    expect(described.logGroups?.[0]?.retentionInDays).toBe(1);

    clock.advance(day + 1000);
    await put('retained', 'main', ['day two'], clock.now());
    const events = await logs.send(
      new GetLogEventsCommand({ logGroupName: 'retained', logStreamName: 'main', startFromHead: true }),
    );
    expect(events.events?.map((e) => e.message)).toEqual(['day two']);

    await expect(
      logs.send(new PutRetentionPolicyCommand({ logGroupName: 'retained', retentionInDays: 2 })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    await logs.send(new DeleteRetentionPolicyCommand({ logGroupName: 'retained' }));
    const after = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'retained' }));
    expect(after.logGroups?.[0]?.retentionInDays).toBeUndefined();
  });

  it('tags log groups through both the ARN-based and the log-group tag operations', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'tagged', tags: { team: 'core' } }));
    const arn = 'arn:aws:logs:us-east-1:000000000000:log-group:tagged';
    await logs.send(new TagResourceCommand({ resourceArn: arn, tags: { env: 'dev' } }));
    expect((await logs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual({
      team: 'core',
      env: 'dev',
    });
    await logs.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['team'] }));
    await logs.send(new TagLogGroupCommand({ logGroupName: 'tagged', tags: { tier: '1' } }));
    await logs.send(new UntagLogGroupCommand({ logGroupName: 'tagged', tags: ['env'] }));
    expect((await logs.send(new ListTagsLogGroupCommand({ logGroupName: 'tagged' }))).tags).toEqual({
      tier: '1',
    });
    await expect(
      logs.send(
        new ListTagsForResourceCommand({ resourceArn: 'arn:aws:logs:us-east-1:000000000000:log-group:none' }),
      ),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('keeps accounts apart: a 12-digit access key sees only its own account', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'mine' }));
    const other = new CloudWatchLogsClient({
      ...stratus.clientConfig,
      credentials: { accessKeyId: '111122223333', secretAccessKey: 'x' },
    });
    const seen = await other.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'mine' }));
    expect(seen.logGroups).toEqual([]);
    await other.send(new CreateLogGroupCommand({ logGroupName: 'mine' }));
    const theirs = await other.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'mine' }));
    expect(theirs.logGroups?.[0]?.arn).toBe('arn:aws:logs:us-east-1:111122223333:log-group:mine:*');
    other.destroy();
  });
});
