/**
 * The `aws` command line against Stratus, as a user would run it: every binary available is
 * tried — Debian's awscli v2 at /usr/bin/aws (CI installs it) and whichever `aws` comes first on
 * PATH (locally a pyenv awscli v1). Nothing is read from ~/.aws.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { awsCliVariants, awsOk, cliTimeoutMs, runAws } from './support/aws-cli.js';
import { startTestStratus, type TestStratus } from './support/stratus.js';

/** A step runs up to two CLI commands; a loaded CI machine takes seconds to start Python. */
const stepTimeoutMs = 2 * cliTimeoutMs + 10_000;

interface OutputEvent {
  timestamp: number;
  message: string;
  logStreamName?: string;
}

let stratus: TestStratus;
beforeAll(async () => {
  stratus = await startTestStratus();
});
afterAll(() => stratus?.close());

// The variants run side by side (each CLI start costs about a second); the steps inside one run in order.
for (const variant of awsCliVariants) {
  describe.concurrent(`aws CLI: ${variant.name}`, () => {
    const skip = variant.binary === undefined;
    const step = (name: string, fn: () => Promise<void>) =>
      it.sequential(name, { skip, timeout: stepTimeoutMs }, fn);
    const aws = (args: string[]) =>
      runAws(variant.binary!, [...args, '--endpoint-url', stratus.url, '--output', 'json']);
    const ok = <T = Record<string, unknown>>(args: string[]) => awsOk<T>(variant.binary!, stratus.url, args);
    const group = `/cli/${variant.tag}/app`;
    const stream = 'instance-1';
    const base = Date.now() - 60_000;

    step('sts get-caller-identity prints the default account and its root ARN', async () => {
      const identity = await ok<{ Account: string; Arn: string; UserId: string }>([
        'sts',
        'get-caller-identity',
      ]);
      expect(identity).toEqual({
        UserId: '000000000000',
        Account: '000000000000',
        Arn: 'arn:aws:iam::000000000000:root',
      });
    });

    step('logs create-log-group and create-log-stream succeed silently', async () => {
      expect(await ok(['logs', 'create-log-group', '--log-group-name', group])).toEqual({});
      expect(
        await ok(['logs', 'create-log-stream', '--log-group-name', group, '--log-stream-name', stream]),
      ).toEqual({});
    });

    step('logs put-log-events takes shorthand timestamp=…,message=… events', async () => {
      const result = await ok<{ nextSequenceToken?: string; rejectedLogEventsInfo?: unknown }>([
        'logs',
        'put-log-events',
        '--log-group-name',
        group,
        '--log-stream-name',
        stream,
        '--log-events',
        `timestamp=${base},message=INFO service started`,
        `timestamp=${base + 1000},message=ERROR disk full`,
        `timestamp=${base + 2000},message=INFO request served`,
      ]);
      expect(result.rejectedLogEventsInfo).toBeUndefined();
    });

    step('logs get-log-events returns the events in order', async () => {
      const { events } = await ok<{ events: OutputEvent[] }>([
        'logs',
        'get-log-events',
        '--log-group-name',
        group,
        '--log-stream-name',
        stream,
        '--start-from-head',
      ]);
      expect(events.map((e) => [e.timestamp, e.message])).toEqual([
        [base, 'INFO service started'],
        [base + 1000, 'ERROR disk full'],
        [base + 2000, 'INFO request served'],
      ]);
    });

    step('logs filter-log-events --filter-pattern returns only matching events', async () => {
      const { events } = await ok<{ events: OutputEvent[] }>([
        'logs',
        'filter-log-events',
        '--log-group-name',
        group,
        '--filter-pattern',
        'ERROR',
      ]);
      expect(events.map((e) => [e.logStreamName, e.message])).toEqual([[stream, 'ERROR disk full']]);
    });

    step('logs describe-log-groups lists the group with its ARN', async () => {
      const { logGroups } = await ok<{ logGroups: { logGroupName: string; arn: string }[] }>([
        'logs',
        'describe-log-groups',
        '--log-group-name-prefix',
        `/cli/${variant.tag}/`,
      ]);
      expect(logGroups.map((g) => g.logGroupName)).toEqual([group]);
      expect(logGroups[0]!.arn).toBe(`arn:aws:logs:us-east-1:000000000000:log-group:${group}:*`);
    });

    step('cloudwatch put-metric-data then get-metric-statistics sums the datapoints', async () => {
      const namespace = `Cli/${variant.tag}`;
      const now = Math.floor(Date.now() / 60_000) * 60;
      for (const value of [3, 4]) {
        await ok([
          'cloudwatch',
          'put-metric-data',
          '--namespace',
          namespace,
          '--metric-name',
          'Orders',
          '--value',
          String(value),
          '--timestamp',
          String(now),
        ]);
      }
      const stats = await ok<{ Label: string; Datapoints: { Sum: number; SampleCount: number }[] }>([
        'cloudwatch',
        'get-metric-statistics',
        '--namespace',
        namespace,
        '--metric-name',
        'Orders',
        '--start-time',
        String(now - 600),
        '--end-time',
        String(now + 600),
        '--period',
        '3600',
        '--statistics',
        'Sum',
        'SampleCount',
      ]);
      expect(stats.Label).toBe('Orders');
      expect(stats.Datapoints.map((d) => [d.Sum, d.SampleCount])).toEqual([[7, 2]]);
      const listed = await ok<{ Metrics: { MetricName: string }[] }>([
        'cloudwatch',
        'list-metrics',
        '--namespace',
        namespace,
      ]);
      expect(listed.Metrics.map((m) => m.MetricName)).toEqual(['Orders']);
    });

    step('creating the same log group twice exits non-zero with ResourceAlreadyExistsException', async () => {
      const result = await aws(['logs', 'create-log-group', '--log-group-name', group]);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain('ResourceAlreadyExistsException');
      expect(result.stderr).toContain('CreateLogGroup');
    });
  });
}
