/**
 * Lambda event filtering (FilterCriteria) on SQS event source mappings, end to end through
 * @aws-sdk/client-lambda and @aws-sdk/client-sqs: patterns checked and echoed by the control plane,
 * only matching messages reaching the function, the others deleted from the queue.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateEventSourceMappingCommand,
  GetEventSourceMappingCommand,
  InvalidParameterValueException,
  UpdateEventSourceMappingCommand,
  type FilterCriteria,
} from '@aws-sdk/client-lambda';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { createQueue, queueArn } from './support/sqs.js';
import { createFunction, eventually } from './support/lambda.js';
import { startLambdaSqsTest, type LambdaSqsTest } from './support/lambda-sqs.js';

const handler = `
exports.handler = async (event) => {
  for (const record of event.Records) console.log('GOT ' + record.body);
  return {};
};`;

const criteria = (...patterns: string[]): FilterCriteria => ({
  Filters: patterns.map((Pattern) => ({ Pattern })),
});

describe('Lambda FilterCriteria on SQS event source mappings', () => {
  let t: LambdaSqsTest;

  beforeAll(async () => {
    t = await startLambdaSqsTest();
  });
  afterAll(() => t?.close());

  const send = (url: string, bodies: string[]) =>
    t.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: bodies.map((MessageBody, n) => ({ Id: String(n), MessageBody })),
      }),
    );

  it('echoes the filters, replaces them on update, keeps them when left out and clears them with {}', async () => {
    await createQueue(t.sqs, 'filters-cp');
    await createFunction(t.lambda, 'filters-cp-fn', { 'index.js': handler });
    const first = criteria('{ "body" : { "kind" : [ "order" ] } }');
    const created = await t.lambda.send(
      new CreateEventSourceMappingCommand({
        FunctionName: 'filters-cp-fn',
        EventSourceArn: queueArn('filters-cp'),
        Enabled: false,
        FilterCriteria: first,
      }),
    );
    expect(created.FilterCriteria).toEqual(first);
    const UUID = created.UUID!;
    expect((await t.lambda.send(new GetEventSourceMappingCommand({ UUID }))).FilterCriteria).toEqual(first);

    const second = criteria('{"body": ["a"]}', '{"body": ["b"]}');
    expect(
      (await t.lambda.send(new UpdateEventSourceMappingCommand({ UUID, FilterCriteria: second })))
        .FilterCriteria,
    ).toEqual(second);
    expect(
      (await t.lambda.send(new UpdateEventSourceMappingCommand({ UUID, BatchSize: 5 }))).FilterCriteria,
    ).toEqual(second);
    const cleared = await t.lambda.send(new UpdateEventSourceMappingCommand({ UUID, FilterCriteria: {} }));
    expect(cleared.FilterCriteria).toBeUndefined();
    expect((await t.lambda.send(new GetEventSourceMappingCommand({ UUID }))).FilterCriteria).toBeUndefined();
  });

  it('refuses patterns Lambda cannot use with InvalidParameterValueException', async () => {
    await createQueue(t.sqs, 'filters-bad');
    await createFunction(t.lambda, 'filters-bad-fn', { 'index.js': handler });
    const create = (FilterCriteria: FilterCriteria) =>
      t.lambda.send(
        new CreateEventSourceMappingCommand({
          FunctionName: 'filters-bad-fn',
          EventSourceArn: queueArn('filters-bad'),
          Enabled: false,
          FilterCriteria,
        }),
      );
    for (const pattern of [
      'simple string',
      '{"eventSource": "aws:sqs"}',
      '{"eventSource": []}',
      '{"body": {"a": [{"numeric": [">", 10, "<", 5]}]}}',
      '{"body": {"a": [{"wildcard": "x*"}]}}',
    ]) {
      const refused = create(criteria(pattern));
      await expect(refused).rejects.toThrow(InvalidParameterValueException);
      await expect(refused).rejects.toThrow(/^Invalid filter pattern definition\.$/);
    }
    await expect(create({ Filters: [{}] })).rejects.toThrow('Invalid filter pattern definition.');
    await expect(create(criteria(...Array<string>(6).fill('{"body": ["x"]}')))).rejects.toThrow(
      InvalidParameterValueException,
    );
    const long = `{"body": ["${'x'.repeat(4090)}"]}`;
    await expect(create(criteria(long))).rejects.toThrow(
      `1 validation error detected: Value '${long}' at 'filterCriteria.filters.1.member.pattern' failed to satisfy constraint: Member must have length less than or equal to 4096`,
    );

    const { UUID } = await create(criteria('{"body": ["ok"]}'));
    await expect(
      t.lambda.send(
        new UpdateEventSourceMappingCommand({ UUID, FilterCriteria: criteria('{"body": ["x"]') }),
      ),
    ).rejects.toThrow('Invalid filter pattern definition.');
    expect((await t.lambda.send(new GetEventSourceMappingCommand({ UUID }))).FilterCriteria).toEqual(
      criteria('{"body": ["ok"]}'),
    );
  });

  it('delivers only matching messages (JSON bodies by their fields, plain bodies as strings) and deletes the rest', async () => {
    const url = await createQueue(t.sqs, 'filters-poll');
    await createFunction(t.lambda, 'filters-poll-fn', { 'index.js': handler });
    await t.lambda.send(
      new CreateEventSourceMappingCommand({
        FunctionName: 'filters-poll-fn',
        EventSourceArn: queueArn('filters-poll'),
        FilterCriteria: criteria(
          '{"body": {"kind": ["order"], "total": [{"numeric": [">=", 100]}]}}',
          '{"body": [{"prefix": "urgent:"}]}',
        ),
      }),
    );
    const delivered = ['{"kind": "order", "total": 120}', 'urgent: call back'];
    const dropped = [
      '{"kind": "order", "total": 99}',
      '{"kind": "refund", "total": 500}',
      'routine: nothing',
      // JSON, so the plain-string filter does not apply to it.
      '"urgent: but JSON"',
    ];
    await send(url, [...delivered, ...dropped]);
    await eventually(
      () => t.depth(url),
      (n) => n === 0,
    );
    const seen = await eventually(
      () => t.got('filters-poll-fn'),
      (bodies) => bodies.length >= delivered.length,
    );
    expect(seen.sort()).toEqual([...delivered].sort());
  });

  it('applies changed filters to what arrives next, and delivers everything once they are cleared', async () => {
    const url = await createQueue(t.sqs, 'filters-change');
    await createFunction(t.lambda, 'filters-change-fn', { 'index.js': handler });
    const { UUID } = await t.lambda.send(
      new CreateEventSourceMappingCommand({
        FunctionName: 'filters-change-fn',
        EventSourceArn: queueArn('filters-change'),
        FilterCriteria: criteria('{"body": ["a"]}'),
      }),
    );
    await send(url, ['a', 'b']);
    await eventually(
      () => t.depth(url),
      (n) => n === 0,
    );
    await t.lambda.send(
      new UpdateEventSourceMappingCommand({ UUID, FilterCriteria: criteria('{"body": ["b"]}') }),
    );
    await send(url, ['a', 'b']);
    await eventually(
      () => t.got('filters-change-fn'),
      (bodies) => bodies.length >= 2,
    );
    await t.lambda.send(new UpdateEventSourceMappingCommand({ UUID, FilterCriteria: {} }));
    await send(url, ['c']);
    const seen = await eventually(
      () => t.got('filters-change-fn'),
      (bodies) => bodies.includes('c'),
    );
    expect(seen).toEqual(['a', 'b', 'c']);
    expect(await t.depth(url)).toBe(0);
  });
});
