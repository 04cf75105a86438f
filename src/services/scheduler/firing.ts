/**
 * Schedules fire: at each due time (claimed as scheduled rules claim theirs, with a conditional
 * update of the schedule's `next_due_at` in the transaction that queues the invocation; shared
 * timer: engine/schedule-timer.ts) one invocation work item is queued — at the due time, or with
 * a FlexibleTimeWindow at a deterministic offset within it. A one-time or ended schedule with
 * ActionAfterCompletion DELETE is deleted as its last invocation is queued. After downtime a
 * schedule fires once, for the latest time it missed.
 */
import { createHash } from 'node:crypto';
import type { ScheduleSource } from '../../engine/schedule-timer.js';
import type { Store } from '../../storage/store.js';
import type { WorkQueue } from '../../storage/work-queue.js';
import type { Invocation } from './invoke.js';
import { windowOf, type Definition } from './schedules.js';
import { scheduleQueries, type ScheduleRow } from './tables.js';
import { latestDue, nextDue } from './timing.js';

export const invokeQueue = 'scheduler-invoke';
const batchSize = 100;

/** Where in a flexible window an invocation goes: the same for a schedule and due time on every node. */
export function flexibleOffset(arn: string, dueAt: number, windowMinutes: number): number {
  const hash = createHash('sha256').update(`${arn}@${dueAt}`).digest().readUInt32BE(0);
  return (hash % windowMinutes) * 60_000;
}

export class ScheduleFiring implements ScheduleSource {
  constructor(
    private readonly store: Store,
    private readonly workQueue: WorkQueue,
    private readonly queued: () => void,
  ) {}

  earliestDue(): Promise<number | undefined> {
    return scheduleQueries.earliestDue(this.store);
  }

  async fireDue(now: number): Promise<void> {
    for (;;) {
      const due = await scheduleQueries.due(this.store, now, batchSize);
      let fired = false;
      for (const row of due) fired = (await this.fire(row, now)) || fired;
      if (fired) this.queued();
      if (due.length < batchSize) return;
    }
  }

  private fire(row: ScheduleRow, now: number): Promise<boolean> {
    return this.store.transaction(async (tx) => {
      const pending = row.next_due_at!;
      const definition = JSON.parse(row.definition) as Definition;
      const window = windowOf(definition, row.created_at);
      const dueAt = latestDue(window, pending, now);
      const next = nextDue(window, dueAt) ?? null;
      if (!(await scheduleQueries.advanceDue(tx, row.arn, pending, next))) return false;
      if (next === null && definition.ActionAfterCompletion === 'DELETE')
        await scheduleQueries.delete(tx, row.arn);
      const flexible = definition.FlexibleTimeWindow;
      const runAt =
        flexible.Mode === 'FLEXIBLE'
          ? Math.max(now, dueAt + flexibleOffset(row.arn, dueAt, flexible.MaximumWindowInMinutes!))
          : now;
      const invocation: Invocation = {
        scheduleArn: row.arn,
        at: { accountId: row.account_id, region: row.region },
        target: definition.Target,
        dueAt,
        retries: 0,
      };
      await this.workQueue.enqueue(tx, invokeQueue, invocation, { runAt });
      return true;
    });
  }
}
