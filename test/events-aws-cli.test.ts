/**
 * EventBridge through the `aws events` command line, as a user would drive it — every binary
 * available is tried, as in test/aws-cli.test.ts: put-rule, put-targets, put-events, and the
 * event landing in the queue the rule targets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SQSClient } from '@aws-sdk/client-sqs';
import { awsCliVariants, awsOk, cliTimeoutMs } from './support/aws-cli.js';
import { createTestQueue, receive } from './support/events.js';
import { startTestStratus, type TestStratus } from './support/stratus.js';

const stepTimeoutMs = 3 * cliTimeoutMs + 10_000;

let stratus: TestStratus;
let sqs: SQSClient;
beforeAll(async () => {
  stratus = await startTestStratus();
  sqs = new SQSClient(stratus.clientConfig);
});
afterAll(async () => {
  sqs?.destroy();
  await stratus?.close();
});

for (const variant of awsCliVariants) {
  describe.concurrent(`aws events CLI: ${variant.name}`, () => {
    const skip = variant.binary === undefined;
    const ok = <T = Record<string, unknown>>(args: string[]) => awsOk<T>(variant.binary!, stratus.url, args);

    it(
      'put-rule, put-targets and put-events deliver the event to the target queue',
      { skip, timeout: stepTimeoutMs * 2 },
      async () => {
        const name = `cli-${variant.tag}`;
        const queue = await createTestQueue(sqs, name);
        const rule = await ok<{ RuleArn: string }>([
          'events',
          'put-rule',
          '--name',
          name,
          '--event-pattern',
          JSON.stringify({ source: [name], detail: { kind: [{ prefix: 'order' }] } }),
        ]);
        expect(rule.RuleArn).toBe(`arn:aws:events:us-east-1:000000000000:rule/${name}`);
        const targets = await ok<{ FailedEntryCount: number }>([
          'events',
          'put-targets',
          '--rule',
          name,
          '--targets',
          JSON.stringify([{ Id: 'queue', Arn: queue.arn }]),
        ]);
        expect(targets.FailedEntryCount).toBe(0);
        const described = await ok<{ State: string; EventPattern: string }>([
          'events',
          'describe-rule',
          '--name',
          name,
        ]);
        expect(described.State).toBe('ENABLED');
        const put = await ok<{ FailedEntryCount: number; Entries: { EventId: string }[] }>([
          'events',
          'put-events',
          '--entries',
          JSON.stringify([
            {
              Source: name,
              DetailType: 'Order Placed',
              Detail: JSON.stringify({ kind: 'order-new', id: 1 }),
            },
            { Source: name, DetailType: 'Refund', Detail: JSON.stringify({ kind: 'refund', id: 2 }) },
          ]),
        ]);
        expect(put.FailedEntryCount).toBe(0);
        const [message] = await receive(sqs, queue, 1);
        expect(JSON.parse(message!.Body!)).toMatchObject({
          id: put.Entries[0]!.EventId,
          source: name,
          'detail-type': 'Order Placed',
          detail: { kind: 'order-new', id: 1 },
        });
        const listed = await ok<{ Targets: { Id: string; Arn: string }[] }>([
          'events',
          'list-targets-by-rule',
          '--rule',
          name,
        ]);
        expect(listed.Targets).toEqual([{ Id: 'queue', Arn: queue.arn }]);
      },
    );
  });
}
