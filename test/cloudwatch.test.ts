import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CloudWatchClient,
  CloudWatchServiceException,
  GetMetricDataCommand,
  GetMetricStatisticsCommand,
  InvalidParameterCombinationException,
  InvalidParameterValueException,
  ListMetricsCommand,
  MissingRequiredParameterException,
  PutMetricDataCommand,
  ValidationException,
  type Dimension,
  type MetricDatum,
} from '@aws-sdk/client-cloudwatch';
import { cbor } from '@smithy/core/cbor';
import { ManualClock } from '../src/engine/clock.js';
import { startTestStratus, type TestStratus } from './support/stratus.js';

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;
const t0 = Date.UTC(2026, 10, 1, 12, 0, 0);

describe('CloudWatch metrics', () => {
  let stratus: TestStratus;
  let cw: CloudWatchClient;
  const clock = new ManualClock(t0);

  beforeAll(async () => {
    stratus = await startTestStratus({ clock });
    cw = new CloudWatchClient(stratus.clientConfig);
  });
  afterAll(async () => {
    cw?.destroy();
    await stratus?.close();
  });

  const put = (Namespace: string, MetricData: MetricDatum[]) =>
    cw.send(new PutMetricDataCommand({ Namespace, MetricData }));

  const service: Dimension[] = [{ Name: 'Service', Value: 'api' }];

  /** Latency over three minutes: 1…100 as raw values, then two single values, then a statistic set. */
  async function publishLatency(namespace: string, start: number): Promise<void> {
    await put(namespace, [
      {
        MetricName: 'Latency',
        Dimensions: service,
        Timestamp: new Date(start + 5_000),
        Values: Array.from({ length: 100 }, (_, i) => i + 1),
        Unit: 'Milliseconds',
      },
      {
        MetricName: 'Latency',
        Dimensions: service,
        Timestamp: new Date(start + minute),
        Value: 10,
        Unit: 'Milliseconds',
      },
      {
        MetricName: 'Latency',
        Dimensions: service,
        Timestamp: new Date(start + minute + 30_000),
        Value: 20,
        Unit: 'Milliseconds',
      },
      {
        MetricName: 'Latency',
        Dimensions: service,
        Timestamp: new Date(start + 2 * minute + 1_000),
        StatisticValues: { SampleCount: 4, Sum: 40, Minimum: 5, Maximum: 15 },
        Unit: 'Milliseconds',
      },
    ]);
  }

  it('aggregates Sum, Average, Minimum, Maximum, SampleCount and percentiles per period', async () => {
    const start = t0 - 10 * minute;
    await publishLatency('Test/Stats', start);
    const stats = await cw.send(
      new GetMetricStatisticsCommand({
        Namespace: 'Test/Stats',
        MetricName: 'Latency',
        Dimensions: service,
        StartTime: new Date(start),
        EndTime: new Date(start + 3 * minute),
        Period: 60,
        Statistics: ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'],
        ExtendedStatistics: ['p50', 'p99'],
      }),
    );
    expect(stats.Label).toBe('Latency');
    const points = [...stats.Datapoints!].sort((a, b) => a.Timestamp!.getTime() - b.Timestamp!.getTime());
    expect(points).toEqual([
      {
        Timestamp: new Date(start),
        SampleCount: 100,
        Average: 50.5,
        Sum: 5050,
        Minimum: 1,
        Maximum: 100,
        Unit: 'Milliseconds',
        ExtendedStatistics: { p50: 50, p99: 99 },
      },
      {
        Timestamp: new Date(start + minute),
        SampleCount: 2,
        Average: 15,
        Sum: 30,
        Minimum: 10,
        Maximum: 20,
        Unit: 'Milliseconds',
        ExtendedStatistics: { p50: 10, p99: 20 },
      },
      // Percentiles of a statistic set spreading several values are unknown, so they are absent.
      {
        Timestamp: new Date(start + 2 * minute),
        SampleCount: 4,
        Average: 10,
        Sum: 40,
        Minimum: 5,
        Maximum: 15,
        Unit: 'Milliseconds',
      },
    ]);

    const wide = await cw.send(
      new GetMetricStatisticsCommand({
        Namespace: 'Test/Stats',
        MetricName: 'Latency',
        Dimensions: service,
        StartTime: new Date(start),
        EndTime: new Date(start + 3 * minute),
        Period: 180,
        Statistics: ['Sum', 'SampleCount', 'Maximum'],
      }),
    );
    expect(wide.Datapoints).toEqual([
      { Timestamp: new Date(start), Sum: 5120, SampleCount: 106, Maximum: 100, Unit: 'Milliseconds' },
    ]);
  });

  it('matches the full dimension set exactly', async () => {
    const start = t0 - 10 * minute;
    const query = (Dimensions?: Dimension[]) =>
      cw.send(
        new GetMetricStatisticsCommand({
          Namespace: 'Test/Stats',
          MetricName: 'Latency',
          Dimensions,
          StartTime: new Date(start),
          EndTime: new Date(start + 3 * minute),
          Period: 60,
          Statistics: ['Sum'],
        }),
      );
    expect((await query()).Datapoints).toEqual([]);
    expect((await query([...service, { Name: 'Stage', Value: 'prod' }])).Datapoints).toEqual([]);
    expect((await query(service)).Datapoints).toHaveLength(3);
  });

  it('weights Values by Counts and keeps statistic sets', async () => {
    const at = clock.now() - 5 * minute;
    await put('Test/Weights', [
      { MetricName: 'Size', Timestamp: new Date(at), Values: [1, 10], Counts: [2, 4], Unit: 'Count' },
      {
        MetricName: 'Size',
        Timestamp: new Date(at + 1_000),
        StatisticValues: { SampleCount: 2, Sum: 14, Minimum: 7, Maximum: 7 },
        Unit: 'Count',
      },
    ]);
    const stats = await cw.send(
      new GetMetricStatisticsCommand({
        Namespace: 'Test/Weights',
        MetricName: 'Size',
        StartTime: new Date(at - minute),
        EndTime: new Date(at + minute),
        Period: 60,
        Statistics: ['SampleCount', 'Sum', 'Average', 'Minimum', 'Maximum'],
        ExtendedStatistics: ['p50', 'p10'],
      }),
    );
    // Samples: 1 ×2, 7 ×2 (a set whose minimum equals its maximum), 10 ×4.
    expect(stats.Datapoints).toEqual([
      {
        Timestamp: new Date(Math.floor(at / minute) * minute),
        SampleCount: 8,
        Sum: 56,
        Average: 7,
        Minimum: 1,
        Maximum: 10,
        Unit: 'Count',
        ExtendedStatistics: { p50: 7, p10: 1 },
      },
    ]);
  });

  it('filters by unit: without Unit each unit is its own datapoint', async () => {
    const at = clock.now() - 5 * minute;
    await put('Test/Units', [
      { MetricName: 'Duration', Timestamp: new Date(at), Value: 1, Unit: 'Seconds' },
      { MetricName: 'Duration', Timestamp: new Date(at), Value: 1000, Unit: 'Milliseconds' },
      { MetricName: 'Duration', Timestamp: new Date(at), Value: 3 },
    ]);
    const stats = (Unit?: 'Seconds' | 'Milliseconds' | 'None' | 'Bytes') =>
      cw.send(
        new GetMetricStatisticsCommand({
          Namespace: 'Test/Units',
          MetricName: 'Duration',
          StartTime: new Date(at - minute),
          EndTime: new Date(at + minute),
          Period: 120,
          Statistics: ['Sum'],
          Unit,
        }),
      );
    const all = await stats();
    expect(all.Datapoints?.map((d) => [d.Unit, d.Sum]).sort()).toEqual([
      ['Milliseconds', 1000],
      ['None', 3],
      ['Seconds', 1],
    ]);
    expect((await stats('Seconds')).Datapoints?.map((d) => d.Sum)).toEqual([1]);
    expect((await stats('None')).Datapoints?.map((d) => d.Sum)).toEqual([3]);
    expect((await stats('Bytes')).Datapoints).toEqual([]);

    const data = await cw.send(
      new GetMetricDataCommand({
        StartTime: new Date(at - minute),
        EndTime: new Date(at + minute),
        MetricDataQueries: [
          {
            Id: 'ms',
            MetricStat: {
              Metric: { Namespace: 'Test/Units', MetricName: 'Duration' },
              Period: 120,
              Stat: 'Sum',
              Unit: 'Milliseconds',
            },
          },
        ],
      }),
    );
    expect(data.MetricDataResults?.[0]?.Values).toEqual([1000]);
  });

  it('answers GetMetricData with MetricStat series, math expressions and ScanBy order', async () => {
    const start = t0 - 10 * minute;
    const request = (ScanBy?: 'TimestampAscending' | 'TimestampDescending', MaxDatapoints?: number) =>
      new GetMetricDataCommand({
        StartTime: new Date(start),
        EndTime: new Date(start + 3 * minute),
        ScanBy,
        MaxDatapoints,
        MetricDataQueries: [
          {
            Id: 'm1',
            MetricStat: {
              Metric: { Namespace: 'Test/Stats', MetricName: 'Latency', Dimensions: service },
              Period: 60,
              Stat: 'Sum',
            },
          },
          { Id: 'e1', Expression: 'm1 * 2' },
          {
            Id: 'hidden',
            ReturnData: false,
            MetricStat: {
              Metric: { Namespace: 'Test/Stats', MetricName: 'Latency', Dimensions: service },
              Period: 60,
              Stat: 'SampleCount',
            },
          },
          { Id: 'avg', Expression: 'm1 / hidden', Label: 'Mean latency' },
        ],
      });
    const times = [start + 2 * minute, start + minute, start].map((t) => new Date(t));
    const descending = await cw.send(request());
    expect(descending.MetricDataResults).toEqual([
      {
        Id: 'm1',
        Label: 'Latency',
        Timestamps: times,
        Values: [40, 30, 5050],
        StatusCode: 'Complete',
        Messages: [],
      },
      {
        Id: 'e1',
        Label: 'e1',
        Timestamps: times,
        Values: [80, 60, 10100],
        StatusCode: 'Complete',
        Messages: [],
      },
      {
        Id: 'avg',
        Label: 'Mean latency',
        Timestamps: times,
        Values: [10, 15, 50.5],
        StatusCode: 'Complete',
        Messages: [],
      },
    ]);
    expect(descending.NextToken).toBeUndefined();

    const ascending = await cw.send(request('TimestampAscending'));
    expect(ascending.MetricDataResults?.[1]).toMatchObject({
      Timestamps: [...times].reverse(),
      Values: [10100, 60, 80],
    });

    // MaxDatapoints pages through the results; NextToken carries on where the last page stopped.
    const first = await cw.send(request('TimestampAscending', 4));
    expect(first.MetricDataResults?.map((r) => [r.Id, r.Values, r.StatusCode])).toEqual([
      ['m1', [5050, 30, 40], 'Complete'],
      ['e1', [10100], 'PartialData'],
      ['avg', [], 'PartialData'],
    ]);
    const second = await cw.send(
      new GetMetricDataCommand({ ...request('TimestampAscending', 4).input, NextToken: first.NextToken }),
    );
    expect(second.MetricDataResults?.map((r) => [r.Id, r.Values, r.StatusCode])).toEqual([
      ['m1', [], 'Complete'],
      ['e1', [60, 80], 'Complete'],
      ['avg', [50.5, 15], 'PartialData'],
    ]);
    const third = await cw.send(
      new GetMetricDataCommand({ ...request('TimestampAscending', 4).input, NextToken: second.NextToken }),
    );
    expect(third.MetricDataResults?.map((r) => r.Values)).toEqual([[], [], [10]]);
    expect(third.NextToken).toBeUndefined();
  });

  it('lists metrics by namespace, name and dimension filters', async () => {
    const at = clock.now();
    await put('Test/List', [
      {
        MetricName: 'Requests',
        Value: 1,
        Dimensions: [
          { Name: 'Service', Value: 'api' },
          { Name: 'Stage', Value: 'prod' },
        ],
      },
      // The same dimensions in another order are the same metric.
      {
        MetricName: 'Requests',
        Value: 1,
        Dimensions: [
          { Name: 'Stage', Value: 'prod' },
          { Name: 'Service', Value: 'api' },
        ],
      },
      {
        MetricName: 'Requests',
        Value: 1,
        Dimensions: [
          { Name: 'Service', Value: 'web' },
          { Name: 'Stage', Value: 'prod' },
        ],
      },
      { MetricName: 'Requests', Value: 1, Dimensions: [{ Name: 'Service', Value: 'api' }] },
      { MetricName: 'Errors', Value: 0, Timestamp: new Date(at) },
    ]);
    const list = async (input: Omit<ConstructorParameters<typeof ListMetricsCommand>[0], 'Namespace'>) =>
      (await cw.send(new ListMetricsCommand({ Namespace: 'Test/List', ...input }))).Metrics;

    expect(await list({})).toEqual([
      {
        Namespace: 'Test/List',
        MetricName: 'Requests',
        Dimensions: [
          { Name: 'Service', Value: 'api' },
          { Name: 'Stage', Value: 'prod' },
        ],
      },
      {
        Namespace: 'Test/List',
        MetricName: 'Requests',
        Dimensions: [
          { Name: 'Service', Value: 'web' },
          { Name: 'Stage', Value: 'prod' },
        ],
      },
      { Namespace: 'Test/List', MetricName: 'Requests', Dimensions: [{ Name: 'Service', Value: 'api' }] },
      { Namespace: 'Test/List', MetricName: 'Errors', Dimensions: [] },
    ]);
    const dims = (metrics: Awaited<ReturnType<typeof list>>) =>
      metrics?.map((m) => m.Dimensions?.map((d) => `${d.Name}=${d.Value}`).join(','));
    expect(dims(await list({ Dimensions: [{ Name: 'Service', Value: 'api' }] }))).toEqual([
      'Service=api,Stage=prod',
      'Service=api',
    ]);
    expect(dims(await list({ Dimensions: [{ Name: 'Stage' }] }))).toEqual([
      'Service=api,Stage=prod',
      'Service=web,Stage=prod',
    ]);
    expect(dims(await list({ Dimensions: [{ Name: 'Stage' }, { Name: 'Service', Value: 'web' }] }))).toEqual([
      'Service=web,Stage=prod',
    ]);
    expect((await list({ MetricName: 'Errors' }))?.map((m) => m.MetricName)).toEqual(['Errors']);
    const linked = await cw.send(
      new ListMetricsCommand({ Namespace: 'Test/List', MetricName: 'Errors', IncludeLinkedAccounts: true }),
    );
    expect(linked.OwningAccounts).toEqual(['000000000000']);
  });

  it('pages ListMetrics 500 at a time and honours RecentlyActive', async () => {
    const many = Array.from({ length: 520 }, (_, i) => ({
      MetricName: 'Hits',
      Value: i,
      Dimensions: [{ Name: 'Index', Value: String(i) }],
    }));
    await put('Test/Paging', many);
    const first = await cw.send(new ListMetricsCommand({ Namespace: 'Test/Paging' }));
    expect(first.Metrics).toHaveLength(500);
    expect(first.NextToken).toBeDefined();
    const second = await cw.send(
      new ListMetricsCommand({ Namespace: 'Test/Paging', NextToken: first.NextToken }),
    );
    expect(second.Metrics).toHaveLength(20);
    expect(second.NextToken).toBeUndefined();
    const indexes = [...first.Metrics!, ...second.Metrics!].map((m) => Number(m.Dimensions![0]!.Value));
    expect(new Set(indexes).size).toBe(520);

    await put('Test/Recent', [{ MetricName: 'Old', Value: 1 }]);
    clock.advance(4 * hour);
    await put('Test/Recent', [{ MetricName: 'New', Value: 1 }]);
    const recent = await cw.send(
      new ListMetricsCommand({ Namespace: 'Test/Recent', RecentlyActive: 'PT3H' }),
    );
    expect(recent.Metrics?.map((m) => m.MetricName)).toEqual(['New']);
    const all = await cw.send(new ListMetricsCommand({ Namespace: 'Test/Recent' }));
    expect(all.Metrics?.map((m) => m.MetricName)).toEqual(['Old', 'New']);

    // Metrics without data for two weeks are no longer listed.
    clock.advance(14 * day);
    const stale = await cw.send(new ListMetricsCommand({ Namespace: 'Test/Recent' }));
    expect(stale.Metrics?.map((m) => m.MetricName)).toEqual(['New']);
  });

  it('refuses invalid requests with the SDK exception classes and AWS messages', async () => {
    const rejection = async (promise: Promise<unknown>) => {
      const error = await promise.then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(error).toBeInstanceOf(CloudWatchServiceException);
      return error as CloudWatchServiceException;
    };
    const now = clock.now();

    const reserved = await rejection(put('AWS/EC2', [{ MetricName: 'CPU', Value: 1 }]));
    expect(reserved).toBeInstanceOf(InvalidParameterValueException);
    expect(reserved.message).toBe('The value AWS/ for parameter Namespace is invalid.');

    const both = await rejection(
      put('Test/Errors', [
        { MetricName: 'm', Value: 1, StatisticValues: { SampleCount: 1, Sum: 1, Minimum: 1, Maximum: 1 } },
      ]),
    );
    expect(both).toBeInstanceOf(InvalidParameterCombinationException);
    expect(both.message).toBe(
      'The parameters MetricData.member.1.Value and MetricData.member.1.StatisticValues are mutually exclusive and you have specified both.',
    );

    const noNamespace = await rejection(
      cw.send(new PutMetricDataCommand({ MetricData: [{ MetricName: 'm', Value: 1 }] } as never)),
    );
    expect(noNamespace).toBeInstanceOf(MissingRequiredParameterException);
    expect(noNamespace.message).toBe('The parameter Namespace is required.');

    const noName = await rejection(put('Test/Errors', [{ Value: 1 } as MetricDatum]));
    expect(noName).toBeInstanceOf(MissingRequiredParameterException);
    expect(noName.message).toBe('The parameter MetricData.member.1.MetricName is required.');

    const notANumber = await rejection(
      put('Test/Errors', [
        { MetricName: 'ok', Value: 1 },
        { MetricName: 'm', Value: NaN },
      ]),
    );
    expect(notANumber).toBeInstanceOf(InvalidParameterValueException);
    expect(notANumber.message).toBe('The value NaN for parameter MetricData.member.2.Value is invalid.');

    const mismatched = await rejection(
      put('Test/Errors', [{ MetricName: 'm', Values: [1, 2], Counts: [1] }]),
    );
    expect(mismatched).toBeInstanceOf(InvalidParameterValueException);
    expect(mismatched.message).toBe(
      'The parameters MetricData.member.1.Values and MetricData.member.1.Counts must be of the same size.',
    );

    const old = await rejection(
      put('Test/Errors', [{ MetricName: 'm', Value: 1, Timestamp: new Date(now - 15 * day) }]),
    );
    expect(old).toBeInstanceOf(InvalidParameterValueException);
    expect(old.message).toBe(
      'The parameter MetricData.member.1.Timestamp must specify a time within the past two weeks.',
    );

    const tooMany = await rejection(
      put(
        'Test/Errors',
        Array.from({ length: 1001 }, () => ({ MetricName: 'm', Value: 1 })),
      ),
    );
    expect(tooMany.message).toBe('The collection MetricData must not have a size greater than 1000.');

    const badPeriod = await rejection(
      cw.send(
        new GetMetricStatisticsCommand({
          Namespace: 'Test/Errors',
          MetricName: 'm',
          StartTime: new Date(now - hour),
          EndTime: new Date(now),
          Period: 61,
          Statistics: ['Sum'],
        }),
      ),
    );
    expect(badPeriod).toBeInstanceOf(InvalidParameterValueException);
    expect(badPeriod.message).toBe('The parameter Period must be 1, 5, 10, 20, 30, or a multiple of 60.');

    const tooManyPoints = await rejection(
      cw.send(
        new GetMetricStatisticsCommand({
          Namespace: 'Test/Errors',
          MetricName: 'm',
          StartTime: new Date(now - 2 * day),
          EndTime: new Date(now),
          Period: 60,
          Statistics: ['Sum'],
        }),
      ),
    );
    expect(tooManyPoints).toBeInstanceOf(InvalidParameterCombinationException);

    const metricStat = { Metric: { Namespace: 'Test/Errors', MetricName: 'm' }, Period: 60, Stat: 'Sum' };
    const duplicate = await rejection(
      cw.send(
        new GetMetricDataCommand({
          StartTime: new Date(now - hour),
          EndTime: new Date(now),
          MetricDataQueries: [
            { Id: 'a', MetricStat: metricStat },
            { Id: 'a', Expression: 'a * 2' },
          ],
        }),
      ),
    );
    // GetMetricData answers the query code ValidationError, which the SDK raises as ValidationException.
    expect(duplicate).toBeInstanceOf(ValidationException);
    expect((duplicate as ValidationException & { Code?: string }).Code).toBe('ValidationError');
    expect(duplicate.message).toBe('The values for parameter id in MetricDataQueries are not unique.');

    const badId = await rejection(
      cw.send(
        new GetMetricDataCommand({
          StartTime: new Date(now - hour),
          EndTime: new Date(now),
          MetricDataQueries: [{ Id: 'Upper', MetricStat: metricStat }],
        }),
      ),
    );
    expect(badId).toBeInstanceOf(ValidationException);
    expect(badId.message).toBe(
      'The value Upper for parameter MetricDataQueries.member.1.Id is not matching the expected pattern ^[a-z][a-zA-Z0-9_]*$.',
    );

    const neither = await rejection(
      cw.send(
        new GetMetricDataCommand({
          StartTime: new Date(now - hour),
          EndTime: new Date(now),
          MetricDataQueries: [{ Id: 'a', MetricStat: metricStat, Expression: 'a' }],
        }),
      ),
    );
    expect(neither).toBeInstanceOf(ValidationException);

    const badStat = await rejection(
      cw.send(
        new GetMetricDataCommand({
          StartTime: new Date(now - hour),
          EndTime: new Date(now),
          MetricDataQueries: [{ Id: 'a', MetricStat: { ...metricStat, Stat: 'Min' } }],
        }),
      ),
    );
    expect(badStat.message).toBe(
      'The value Min for parameter MetricDataQueries.member.1.MetricStat.Stat is invalid.',
    );

    const badExpression = await rejection(
      cw.send(
        new GetMetricDataCommand({
          StartTime: new Date(now - hour),
          EndTime: new Date(now),
          MetricDataQueries: [{ Id: 'e', Expression: 'x + 1' }],
        }),
      ),
    );
    expect(badExpression).toBeInstanceOf(ValidationException);
    expect(badExpression.message).toBe('Error in expression e: Unknown metric or expression id "x".');
  });

  it('speaks the query protocol', async () => {
    const at = new Date(clock.now() - minute);
    const form = (params: Record<string, string>) =>
      fetch(`${stratus.url}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
        body: new URLSearchParams({ Version: '2010-08-01', ...params }).toString(),
      });
    const put = await form({
      Action: 'PutMetricData',
      Namespace: 'Test/Query',
      'MetricData.member.1.MetricName': 'Queued',
      'MetricData.member.1.Value': '7',
      'MetricData.member.1.Unit': 'Count',
      'MetricData.member.1.Timestamp': at.toISOString(),
      'MetricData.member.1.Dimensions.member.1.Name': 'Queue',
      'MetricData.member.1.Dimensions.member.1.Value': 'jobs',
    });
    expect(put.status).toBe(200);
    expect(await put.text()).toContain(
      '<PutMetricDataResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/">',
    );

    const list = await form({ Action: 'ListMetrics', Namespace: 'Test/Query' });
    expect(list.status).toBe(200);
    expect(await list.text()).toContain(
      '<ListMetricsResult><Metrics><member><Namespace>Test/Query</Namespace><MetricName>Queued</MetricName>' +
        '<Dimensions><member><Name>Queue</Name><Value>jobs</Value></member></Dimensions></member></Metrics></ListMetricsResult>',
    );

    const stats = await form({
      Action: 'GetMetricStatistics',
      Namespace: 'Test/Query',
      MetricName: 'Queued',
      'Dimensions.member.1.Name': 'Queue',
      'Dimensions.member.1.Value': 'jobs',
      StartTime: new Date(at.getTime() - minute).toISOString(),
      EndTime: new Date(at.getTime() + minute).toISOString(),
      Period: '120',
      'Statistics.member.1': 'Maximum',
    });
    const xml = await stats.text();
    expect(xml).toContain('<Label>Queued</Label>');
    expect(xml).toMatch(
      /<Datapoints><member><Timestamp>[^<]+<\/Timestamp><Maximum>7<\/Maximum><Unit>Count<\/Unit><\/member><\/Datapoints>/,
    );

    const missing = await form({
      Action: 'PutMetricData',
      'MetricData.member.1.MetricName': 'x',
      'MetricData.member.1.Value': '1',
    });
    expect(missing.status).toBe(400);
    const error = await missing.text();
    expect(error).toContain('<Code>MissingParameter</Code>');
    expect(error).toContain('<Message>The parameter Namespace is required.</Message>');
  });

  it('speaks the RPC v2 CBOR protocol', async () => {
    await put('Test/Cbor', [
      { MetricName: 'Beats', Value: 1, Dimensions: [{ Name: 'Heart', Value: 'one' }] },
    ]);
    const response = await fetch(
      `${stratus.url}/service/GraniteServiceVersion20100801/operation/ListMetrics`,
      {
        method: 'POST',
        headers: {
          'smithy-protocol': 'rpc-v2-cbor',
          'content-type': 'application/cbor',
          accept: 'application/cbor',
        },
        body: Buffer.from(cbor.serialize({ Namespace: 'Test/Cbor' })),
      },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('smithy-protocol')).toBe('rpc-v2-cbor');
    const body = cbor.deserialize(new Uint8Array(await response.arrayBuffer())) as Record<string, unknown>;
    expect(body).toEqual({
      Metrics: [
        { Namespace: 'Test/Cbor', MetricName: 'Beats', Dimensions: [{ Name: 'Heart', Value: 'one' }] },
      ],
    });

    const all = await fetch(`${stratus.url}/service/GraniteServiceVersion20100801/operation/ListMetrics`, {
      method: 'POST',
      headers: {
        'smithy-protocol': 'rpc-v2-cbor',
        'content-type': 'application/cbor',
        accept: 'application/cbor',
      },
      body: Buffer.from(cbor.serialize({})),
    });
    const everything = cbor.deserialize(new Uint8Array(await all.arrayBuffer())) as { Metrics: unknown[] };
    expect(everything.Metrics.length).toBeGreaterThan(1);
  });
});
