/**
 * EventBridge's control plane through the SDK: event buses and their policies, rules, targets,
 * tags, TestEventPattern and PutEvents' checks — with the errors AWS answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateEventBusCommand,
  DeleteEventBusCommand,
  DeleteRuleCommand,
  DescribeEventBusCommand,
  DescribeRuleCommand,
  DisableRuleCommand,
  EnableRuleCommand,
  EventBridgeClient,
  InvalidEventPatternException,
  LimitExceededException,
  ListEventBusesCommand,
  ListRuleNamesByTargetCommand,
  ListRulesCommand,
  ListTagsForResourceCommand,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  PutPermissionCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemovePermissionCommand,
  RemoveTargetsCommand,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  TagResourceCommand,
  TestEventPatternCommand,
  UntagResourceCommand,
  UpdateEventBusCommand,
} from '@aws-sdk/client-eventbridge';
import { rejection } from './support/rejection.js';
import { startTestStratus, type TestStratus } from './support/stratus.js';

const account = '000000000000';
const busArn = (name: string) => `arn:aws:events:us-east-1:${account}:event-bus/${name}`;
const queue = (name: string) => `arn:aws:sqs:us-east-1:${account}:${name}`;

describe('EventBridge buses, rules and targets', () => {
  let stratus: TestStratus;
  let eb: EventBridgeClient;

  beforeAll(async () => {
    stratus = await startTestStratus();
    eb = new EventBridgeClient(stratus.clientConfig);
  });
  afterAll(async () => {
    eb?.destroy();
    await stratus?.close();
  });

  it('has a default bus in every account and region, which cannot be deleted or created', async () => {
    const bus = await eb.send(new DescribeEventBusCommand({}));
    expect(bus).toMatchObject({ Name: 'default', Arn: busArn('default') });
    const other = new EventBridgeClient({ ...stratus.clientConfig, region: 'eu-west-1' });
    try {
      expect((await other.send(new DescribeEventBusCommand({ Name: 'default' }))).Arn).toBe(
        `arn:aws:events:eu-west-1:${account}:event-bus/default`,
      );
    } finally {
      other.destroy();
    }
    const undeletable = await rejection(eb.send(new DeleteEventBusCommand({ Name: 'default' })));
    expect(undeletable).toMatchObject({
      name: 'ValidationException',
      message: 'Cannot delete event bus default.',
    });
    const recreated = await rejection(eb.send(new CreateEventBusCommand({ Name: 'default' })));
    expect(recreated).toBeInstanceOf(ResourceAlreadyExistsException);
    expect(recreated.message).toBe('Event bus default already exists.');
  });

  it('creates, describes, lists with a prefix and pages, updates and deletes custom buses', async () => {
    const created = await eb.send(
      new CreateEventBusCommand({
        Name: 'orders',
        Description: 'shop orders',
        Tags: [{ Key: 'team', Value: 'a' }],
      }),
    );
    expect(created).toMatchObject({ EventBusArn: busArn('orders'), Description: 'shop orders' });
    await eb.send(new CreateEventBusCommand({ Name: 'orders-eu' }));
    await eb.send(new CreateEventBusCommand({ Name: 'payments' }));
    const dup = await rejection(eb.send(new CreateEventBusCommand({ Name: 'orders' })));
    expect(dup).toBeInstanceOf(ResourceAlreadyExistsException);
    expect(dup.message).toBe('Event bus orders already exists.');

    const byArn = await eb.send(new DescribeEventBusCommand({ Name: busArn('orders') }));
    expect(byArn).toMatchObject({ Name: 'orders', Description: 'shop orders' });
    expect(byArn.CreationTime).toBeInstanceOf(Date);

    const first = await eb.send(new ListEventBusesCommand({ NamePrefix: 'orders', Limit: 1 }));
    expect(first.EventBuses!.map((b) => b.Name)).toEqual(['orders']);
    const second = await eb.send(
      new ListEventBusesCommand({ NamePrefix: 'orders', Limit: 1, NextToken: first.NextToken }),
    );
    expect(second.EventBuses!.map((b) => b.Name)).toEqual(['orders-eu']);
    expect(second.NextToken).toBeUndefined();
    const all = await eb.send(new ListEventBusesCommand({}));
    expect(all.EventBuses!.map((b) => b.Name)).toEqual(['default', 'orders', 'orders-eu', 'payments']);

    const updated = await eb.send(new UpdateEventBusCommand({ Name: 'payments', Description: 'money' }));
    expect(updated).toMatchObject({ Name: 'payments', Arn: busArn('payments'), Description: 'money' });

    await eb.send(new DeleteEventBusCommand({ Name: 'payments' }));
    await eb.send(new DeleteEventBusCommand({ Name: 'payments' }));
    const gone = await rejection(eb.send(new DescribeEventBusCommand({ Name: 'payments' })));
    expect(gone).toBeInstanceOf(ResourceNotFoundException);
    expect(gone.message).toBe('Event bus payments does not exist.');
    const slash = await rejection(eb.send(new CreateEventBusCommand({ Name: 'a/b' })));
    expect(slash).toMatchObject({
      name: 'ValidationException',
      message: "Event bus name must not contain '/'.",
    });
  });

  it('keeps bus policies from PutPermission and RemovePermission', async () => {
    await eb.send(
      new PutPermissionCommand({
        EventBusName: 'orders',
        Action: 'events:PutEvents',
        Principal: '111111111111',
        StatementId: 'partner',
      }),
    );
    const policy = JSON.parse((await eb.send(new DescribeEventBusCommand({ Name: 'orders' }))).Policy!);
    expect(policy.Statement).toEqual([
      {
        Sid: 'partner',
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::111111111111:root' },
        Action: 'events:PutEvents',
        Resource: busArn('orders'),
      },
    ]);
    const missing = await rejection(
      eb.send(new RemovePermissionCommand({ EventBusName: 'orders', StatementId: 'nobody' })),
    );
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
    expect(missing.message).toBe('Statement with the provided id does not exist.');
    await eb.send(new RemovePermissionCommand({ EventBusName: 'orders', StatementId: 'partner' }));
    expect((await eb.send(new DescribeEventBusCommand({ Name: 'orders' }))).Policy).toBeUndefined();
  });

  it('puts, describes, lists, disables and enables rules', async () => {
    const pattern = '{"source": ["shop"], "detail-type": ["Order Placed"]}';
    const { RuleArn } = await eb.send(
      new PutRuleCommand({
        Name: 'placed',
        EventPattern: pattern,
        Description: 'new orders',
        EventBusName: 'orders',
      }),
    );
    expect(RuleArn).toBe(`arn:aws:events:us-east-1:${account}:rule/orders/placed`);
    await eb.send(new PutRuleCommand({ Name: 'placed-big', EventPattern: pattern, EventBusName: 'orders' }));
    await eb.send(
      new PutRuleCommand({ Name: 'shipped', EventPattern: '{"source": ["ship"]}', EventBusName: 'orders' }),
    );
    const { RuleArn: defaultRule } = await eb.send(
      new PutRuleCommand({ Name: 'every-five', ScheduleExpression: 'rate(5 minutes)' }),
    );
    expect(defaultRule).toBe(`arn:aws:events:us-east-1:${account}:rule/every-five`);

    expect(await eb.send(new DescribeRuleCommand({ Name: 'placed', EventBusName: 'orders' }))).toMatchObject({
      Name: 'placed',
      Arn: RuleArn,
      EventPattern: pattern,
      State: 'ENABLED',
      Description: 'new orders',
      EventBusName: 'orders',
      CreatedBy: account,
    });
    expect(await eb.send(new DescribeRuleCommand({ Name: 'every-five' }))).toMatchObject({
      ScheduleExpression: 'rate(5 minutes)',
      EventBusName: 'default',
    });

    const page1 = await eb.send(
      new ListRulesCommand({ EventBusName: 'orders', NamePrefix: 'placed', Limit: 1 }),
    );
    expect(page1.Rules!.map((r) => r.Name)).toEqual(['placed']);
    const page2 = await eb.send(
      new ListRulesCommand({
        EventBusName: 'orders',
        NamePrefix: 'placed',
        Limit: 1,
        NextToken: page1.NextToken,
      }),
    );
    expect(page2.Rules!.map((r) => r.Name)).toEqual(['placed-big']);
    expect(page2.NextToken).toBeUndefined();

    await eb.send(new DisableRuleCommand({ Name: 'shipped', EventBusName: 'orders' }));
    expect((await eb.send(new DescribeRuleCommand({ Name: 'shipped', EventBusName: 'orders' }))).State).toBe(
      'DISABLED',
    );
    await eb.send(new EnableRuleCommand({ Name: 'shipped', EventBusName: 'orders' }));
    expect((await eb.send(new DescribeRuleCommand({ Name: 'shipped', EventBusName: 'orders' }))).State).toBe(
      'ENABLED',
    );

    // PutRule replaces: the description it leaves out is gone.
    await eb.send(new PutRuleCommand({ Name: 'placed', EventPattern: pattern, EventBusName: 'orders' }));
    expect(
      (await eb.send(new DescribeRuleCommand({ Name: 'placed', EventBusName: 'orders' }))).Description,
    ).toBeUndefined();
  });

  it("refuses bad rules with EventBridge's errors", async () => {
    const badPattern = await rejection(
      eb.send(new PutRuleCommand({ Name: 'bad', EventPattern: '{"source": "shop"}' })),
    );
    expect(badPattern).toBeInstanceOf(InvalidEventPatternException);
    // EventBridge's reason, and where in the pattern it found the problem.
    expect(badPattern.message).toBe(
      'Event pattern is not valid. Reason: "source" must be an object or an array\n at [Source: (String)"{"source": "shop"}"; line: 1, column: 13]',
    );
    const notJson = await rejection(
      eb.send(new PutRuleCommand({ Name: 'bad', EventPattern: '{"source": [' })),
    );
    expect(notJson).toBeInstanceOf(InvalidEventPatternException);
    const neither = await rejection(eb.send(new PutRuleCommand({ Name: 'bad' })));
    expect(neither).toMatchObject({
      name: 'ValidationException',
      message: 'Parameter(s) EventPattern or ScheduleExpression must be specified.',
    });
    const schedule = await rejection(
      eb.send(new PutRuleCommand({ Name: 'bad', ScheduleExpression: 'rate(1 minutes)' })),
    );
    expect(schedule).toMatchObject({
      name: 'ValidationException',
      message: 'Parameter ScheduleExpression is not valid.',
    });
    const cron = await rejection(
      eb.send(new PutRuleCommand({ Name: 'bad', ScheduleExpression: 'cron(0 12 * * * *)' })),
    );
    expect(cron.message).toBe('Parameter ScheduleExpression is not valid.');
    const onCustom = await rejection(
      eb.send(
        new PutRuleCommand({ Name: 'bad', ScheduleExpression: 'rate(1 hour)', EventBusName: 'orders' }),
      ),
    );
    expect(onCustom.message).toBe('ScheduleExpression is supported only on the default event bus.');
    const noBus = await rejection(
      eb.send(new PutRuleCommand({ Name: 'r', EventPattern: '{"a":[1]}', EventBusName: 'nope' })),
    );
    expect(noBus).toBeInstanceOf(ResourceNotFoundException);
    expect(noBus.message).toBe('Event bus nope does not exist.');
    const noRule = await rejection(eb.send(new DescribeRuleCommand({ Name: 'nope' })));
    expect(noRule).toBeInstanceOf(ResourceNotFoundException);
    expect(noRule.message).toBe('Rule nope does not exist on EventBus default.');
    const noRuleTargets = await rejection(
      eb.send(
        new PutTargetsCommand({
          Rule: 'nope',
          EventBusName: 'orders',
          Targets: [{ Id: 't', Arn: queue('q') }],
        }),
      ),
    );
    expect(noRuleTargets.message).toBe('Rule nope does not exist on EventBus orders.');
  });

  it('puts targets, reporting bad entries one by one, up to five per rule', async () => {
    const put = await eb.send(
      new PutTargetsCommand({
        Rule: 'placed',
        EventBusName: 'orders',
        Targets: [
          { Id: 'q1', Arn: queue('q1') },
          { Id: 'fifo', Arn: queue('q.fifo') },
          { Id: 'both', Arn: queue('q2'), Input: '{}', InputPath: '$.detail' },
          { Id: 'q2', Arn: queue('q2'), InputPath: '$.detail', RetryPolicy: { MaximumRetryAttempts: 3 } },
        ],
      }),
    );
    expect(put.FailedEntryCount).toBe(2);
    expect(put.FailedEntries).toEqual([
      {
        TargetId: 'fifo',
        ErrorCode: 'ValidationException',
        ErrorMessage: 'Parameter(s) SqsParameters must be specified for target: fifo.',
      },
      expect.objectContaining({ TargetId: 'both', ErrorCode: 'ValidationException' }),
    ]);
    const { Targets } = await eb.send(
      new ListTargetsByRuleCommand({ Rule: 'placed', EventBusName: 'orders' }),
    );
    expect(Targets).toEqual([
      { Id: 'q1', Arn: queue('q1') },
      { Id: 'q2', Arn: queue('q2'), InputPath: '$.detail', RetryPolicy: { MaximumRetryAttempts: 3 } },
    ]);
    const tooMany = await rejection(
      eb.send(
        new PutTargetsCommand({
          Rule: 'placed',
          EventBusName: 'orders',
          Targets: ['a', 'b', 'c', 'd'].map((id) => ({ Id: id, Arn: queue(id) })),
        }),
      ),
    );
    expect(tooMany).toBeInstanceOf(LimitExceededException);
    expect(tooMany.message).toBe('The requested resource exceeds the maximum number allowed.');

    await eb.send(
      new PutTargetsCommand({
        Rule: 'shipped',
        EventBusName: 'orders',
        Targets: [{ Id: 'x', Arn: queue('q1') }],
      }),
    );
    const names = await eb.send(
      new ListRuleNamesByTargetCommand({ TargetArn: queue('q1'), EventBusName: 'orders' }),
    );
    expect(names.RuleNames).toEqual(['placed', 'shipped']);

    const removed = await eb.send(
      new RemoveTargetsCommand({ Rule: 'placed', EventBusName: 'orders', Ids: ['q2', 'never'] }),
    );
    expect(removed).toMatchObject({
      FailedEntryCount: 1,
      FailedEntries: [
        {
          TargetId: 'never',
          ErrorCode: 'ResourceNotFoundException',
          ErrorMessage: "Rule 'placed' does not have a target with the Id 'never'.",
        },
      ],
    });
  });

  it('deletes a rule with targets only when forced', async () => {
    const refused = await rejection(
      eb.send(new DeleteRuleCommand({ Name: 'shipped', EventBusName: 'orders' })),
    );
    expect(refused).toMatchObject({
      name: 'ValidationException',
      message: "Rule can't be deleted since it has targets.",
    });
    await eb.send(new DeleteRuleCommand({ Name: 'shipped', EventBusName: 'orders', Force: true }));
    await eb.send(new DeleteRuleCommand({ Name: 'shipped', EventBusName: 'orders' }));
    expect(
      await rejection(eb.send(new DescribeRuleCommand({ Name: 'shipped', EventBusName: 'orders' }))),
    ).toBeInstanceOf(ResourceNotFoundException);
  });

  it('tags rules and buses', async () => {
    const ruleArn = `arn:aws:events:us-east-1:${account}:rule/orders/placed`;
    await eb.send(
      new TagResourceCommand({
        ResourceARN: ruleArn,
        Tags: [
          { Key: 'env', Value: 'test' },
          { Key: 'k', Value: 'v' },
        ],
      }),
    );
    await eb.send(new UntagResourceCommand({ ResourceARN: ruleArn, TagKeys: ['k'] }));
    expect((await eb.send(new ListTagsForResourceCommand({ ResourceARN: ruleArn }))).Tags).toEqual([
      { Key: 'env', Value: 'test' },
    ]);
    expect((await eb.send(new ListTagsForResourceCommand({ ResourceARN: busArn('orders') }))).Tags).toEqual([
      { Key: 'team', Value: 'a' },
    ]);
    await eb.send(
      new TagResourceCommand({ ResourceARN: busArn('default'), Tags: [{ Key: 'a', Value: 'b' }] }),
    );
    expect((await eb.send(new ListTagsForResourceCommand({ ResourceARN: busArn('default') }))).Tags).toEqual([
      { Key: 'a', Value: 'b' },
    ]);
    const missing = await rejection(
      eb.send(
        new ListTagsForResourceCommand({ ResourceARN: `arn:aws:events:us-east-1:${account}:rule/nope` }),
      ),
    );
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
    expect(missing.message).toBe('Rule nope does not exist on EventBus default.');
  });

  it('tests event patterns as rules match them', async () => {
    const event = JSON.stringify({
      id: '1',
      account,
      source: 'shop',
      time: '2026-11-01T12:00:00Z',
      region: 'us-east-1',
      'detail-type': 'Order Placed',
      resources: [],
      detail: { total: 250, country: 'NL', email: 'a@example.COM', ip: '10.0.0.7' },
    });
    const test = async (EventPattern: string) =>
      (await eb.send(new TestEventPatternCommand({ EventPattern, Event: event }))).Result;
    expect(await test('{"detail": {"total": [{"numeric": [">=", 100, "<", 500]}]}}')).toBe(true);
    expect(await test('{"detail": {"country": [{"anything-but": ["NL", "BE"]}]}}')).toBe(false);
    expect(await test('{"detail": {"email": [{"suffix": {"equals-ignore-case": "@example.com"}}]}}')).toBe(
      true,
    );
    expect(await test('{"detail": {"ip": [{"cidr": "10.0.0.0/24"}]}}')).toBe(true);
    expect(await test('{"detail": {"missing": [{"exists": false}]}}')).toBe(true);
    expect(await test('{"source": [{"wildcard": "sh*p"}]}')).toBe(true);
    expect(await test('{"$or": [{"source": ["other"]}, {"detail": {"total": [250]}}]}')).toBe(true);
    expect(await test('{"source": [{"prefix": "x"}]}')).toBe(false);
    const bad = await rejection(
      eb.send(new TestEventPatternCommand({ EventPattern: '{"source": []}', Event: event })),
    );
    expect(bad).toBeInstanceOf(InvalidEventPatternException);
    expect(bad.message).toMatch(
      /^Event pattern is not valid. Reason: Empty arrays are not allowed\n at \[Source/,
    );
    const notEvent = await rejection(
      eb.send(
        new TestEventPatternCommand({ EventPattern: '{"source": ["shop"]}', Event: '{"source": "shop"}' }),
      ),
    );
    expect(notEvent).toMatchObject({ name: 'ValidationException', message: 'Parameter Event is not valid.' });
  });

  it('checks PutEvents entries one by one and the size of the request as a whole', async () => {
    const result = await eb.send(
      new PutEventsCommand({
        Entries: [
          { Source: 'shop', DetailType: 'Order Placed', Detail: '{"id": 1}' },
          { Source: 'shop', DetailType: 'Order Placed', Detail: 'not json' },
          { Source: 'aws.s3', DetailType: 'Object Created', Detail: '{}' },
          { DetailType: 'x', Detail: '{}' },
          { Source: 'shop', DetailType: 'to nowhere', Detail: '{}', EventBusName: 'no-such-bus' },
        ],
      }),
    );
    expect(result.FailedEntryCount).toBe(3);
    expect(result.Entries![0]!.EventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.Entries!.slice(1, 4)).toEqual([
      { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
      { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: 'Not authorized for the source.' },
      {
        ErrorCode: 'InvalidArgument',
        ErrorMessage: 'Parameter Source is not valid. Reason: Source is a required argument.',
      },
    ]);
    // As on AWS, an event for a bus that does not exist is accepted (and goes nowhere).
    expect(result.Entries![4]!.EventId).toBeDefined();

    const detail = JSON.stringify({ blob: 'x'.repeat(300 * 1024) });
    const oversized = await rejection(
      eb.send(
        new PutEventsCommand({
          Entries: Array.from({ length: 4 }, () => ({ Source: 'shop', DetailType: 'big', Detail: detail })),
        }),
      ),
    );
    expect(oversized).toMatchObject({
      name: 'ValidationException',
      message: 'Total size of the entries in the request is over the limit.',
    });
    // Up to 1 MB in all is fine.
    const fits = await eb.send(
      new PutEventsCommand({
        Entries: Array.from({ length: 3 }, () => ({ Source: 'shop', DetailType: 'big', Detail: detail })),
      }),
    );
    expect(fits.FailedEntryCount).toBe(0);
    const eleven = await rejection(
      eb.send(
        new PutEventsCommand({
          Entries: Array.from({ length: 11 }, () => ({ Source: 'shop', DetailType: 'x', Detail: '{}' })),
        }),
      ),
    );
    expect(eleven.name).toBe('ValidationException');
    expect(eleven.message).toContain('Member must have length less than or equal to 10');
  });
});
