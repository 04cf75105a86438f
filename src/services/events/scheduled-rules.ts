/**
 * Scheduled rules fire: at each due time an enabled rule with a ScheduleExpression queues one
 * delivery per target of a `Scheduled Event` (source `aws.events`, detail `{}`, the rule's ARN as
 * its resource, the due time as its time), delivered as any other (input shaping, retries,
 * dead-letter queue). Such events go to the rule's own targets only: they are not routed on the
 * bus nor archived. The due time lives in the rule's row and is advanced, with a conditional
 * update, in the transaction that queues the deliveries (engine/schedule-timer.ts waits for it).
 * After downtime a rule fires once, for the latest time it missed.
 */
import { randomUUID } from 'node:crypto';
import type * as EventBridge from '@aws-sdk/client-eventbridge';
import type { ScheduleSource } from '../../engine/schedule-timer.js';
import type { Store } from '../../storage/store.js';
import { parseArn } from '../arn.js';
import { envelope } from './envelope.js';
import type { Outbox } from './outbox.js';
import { parseScheduleExpression } from './schedule-expression.js';
import { latestDue, nextDue } from './schedule-next.js';
import { ruleQueries, targetQueries, type RuleRow } from './tables.js';

const batchSize = 100;

/**
 * When a rule put or enabled at `now` first fires: a rate one period later, a cron expression at
 * its next time; null for a rule that is disabled or has no schedule.
 */
export function firstDue(schedule: string | null, state: string, now: number): number | null {
  const expression =
    schedule !== null && state !== 'DISABLED' ? parseScheduleExpression(schedule) : undefined;
  return (expression && nextDue(expression, now, now)) ?? null;
}

export class ScheduledRules implements ScheduleSource {
  constructor(
    private readonly store: Store,
    private readonly outbox: Outbox,
  ) {}

  earliestDue(): Promise<number | undefined> {
    return ruleQueries.earliestDue(this.store);
  }

  async fireDue(now: number): Promise<void> {
    for (;;) {
      const due = await ruleQueries.due(this.store, now, batchSize);
      let queued = 0;
      for (const rule of due) queued += await this.fire(rule, now);
      if (queued > 0) this.outbox.committed();
      if (due.length < batchSize) return;
    }
  }

  /** Fires one rule if this node claims its due time; the deliveries queued. */
  private fire(rule: RuleRow, now: number): Promise<number> {
    return this.store.transaction(async (tx) => {
      const pending = rule.next_due_at!;
      const expression =
        rule.schedule_expression !== null ? parseScheduleExpression(rule.schedule_expression) : undefined;
      if (!expression) {
        await ruleQueries.advanceDue(tx, rule.arn, pending, null);
        return 0;
      }
      const dueAt = latestDue(expression, pending, now);
      // The rate grid stays anchored where the rule was put or enabled.
      const next = nextDue(expression, now, pending) ?? null;
      if (!(await ruleQueries.advanceDue(tx, rule.arn, pending, next))) return 0;
      const at = parseArn(rule.bus_arn)!;
      const region = { accountId: at.accountId, region: at.region };
      const eventId = randomUUID();
      const event = JSON.stringify(
        envelope(
          eventId,
          {
            source: 'aws.events',
            detailType: 'Scheduled Event',
            detail: {},
            resources: [rule.arn],
            time: dueAt,
          },
          region,
        ),
      );
      const targets = await targetQueries.ofRule(tx, rule.arn);
      for (const row of targets) {
        await this.outbox.add(tx, {
          kind: 'target',
          at: region,
          busArn: rule.bus_arn,
          ruleArn: rule.arn,
          ruleName: rule.name,
          target: JSON.parse(row.definition) as EventBridge.Target,
          eventId,
          event,
          ingestedAt: now,
          retries: 0,
          hops: [],
        });
      }
      return targets.length;
    });
  }
}
