/**
 * Dead-letter queue redrive (StartMessageMoveTask): a task is a row; a worker on any node steps
 * every running task a few times a second, each step moving a bounded batch of visible messages
 * in one transaction (to the DestinationArn, or back to the queue each message came from) and
 * recording its progress there, so a crash resumes where the last committed step ended.
 */
import { randomUUID } from 'node:crypto';
import type * as SQS from '@aws-sdk/client-sqs';
import type { Clock } from '../../engine/clock.js';
import type { Queryable, Store } from '../../storage/store.js';
import { InvalidParameterValue, ResourceNotFoundException, invalidParameter } from './errors.js';
import type { LongPolls } from './long-poll.js';
import type { Queues } from './queues.js';
import { moveTaskQueries, queueQueries, type MoveTaskRow } from './tables.js';
import { messageQueries } from './message-tables.js';

/** How often running tasks step; a task moves MaxNumberOfMessagesPerSecond / stepsPerSecond each step. */
export const stepMs = 200;
const defaultRate = 500;

function taskHandle(task: MoveTaskRow): string {
  return Buffer.from(JSON.stringify({ taskId: task.task_id, sourceArn: task.source_arn })).toString('base64');
}

function taskId(handle: string): string | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(handle, 'base64').toString('utf8')) as { taskId?: unknown };
    return typeof parsed.taskId === 'string' ? parsed.taskId : undefined;
  } catch {
    return undefined;
  }
}

export class MoveTasks {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly queues: Queues,
    private readonly polls: LongPolls,
  ) {}

  async start(input: SQS.StartMessageMoveTaskRequest): Promise<string> {
    const source = await this.queues.byArn(input.SourceArn!);
    if (!source) {
      throw new ResourceNotFoundException(
        "The resource that you specified for the SourceArn parameter doesn't exist.",
      );
    }
    if (input.DestinationArn && !(await this.queues.byArn(input.DestinationArn))) {
      throw new ResourceNotFoundException(
        "The resource that you specified for the DestinationArn parameter doesn't exist.",
      );
    }
    const rate = input.MaxNumberOfMessagesPerSecond;
    if (rate !== undefined && (rate < 1 || rate > 500)) {
      throw invalidParameter('MaxNumberOfMessagesPerSecond', rate, 'Must be between 1 and 500.');
    }
    return this.store.transaction(async (tx) => {
      if ((await queueQueries.deadLetterSources(tx, source.arn)).length === 0) {
        throw new InvalidParameterValue('Source queue must be configured as a Dead Letter Queue.');
      }
      if (await moveTaskQueries.runningFor(tx, source.arn)) {
        throw new InvalidParameterValue(
          'There is already a task running. Only one active task is allowed for a source queue arn at a given time.',
        );
      }
      const now = this.clock.now();
      const counts = await messageQueries.counts(tx, source.id, now, 0);
      const task: MoveTaskRow = {
        task_id: randomUUID(),
        source_arn: source.arn,
        destination_arn: input.DestinationArn ?? null,
        rate: rate ?? null,
        status: 'RUNNING',
        moved: 0,
        to_move: counts?.visible ?? 0,
        failure_reason: null,
        started_at: now,
      };
      await moveTaskQueries.insert(tx, task);
      return taskHandle(task);
    });
  }

  async cancel(handle: string): Promise<number> {
    const id = taskId(handle);
    return this.store.transaction(async (tx) => {
      const task = id ? await moveTaskQueries.byId(tx, id) : undefined;
      if (!task) throw new ResourceNotFoundException('Task does not exist.');
      if (task.status !== 'RUNNING') throw new InvalidParameterValue('Only active tasks can be cancelled.');
      await moveTaskQueries.progress(tx, task.task_id, task.moved, 'CANCELLED', null);
      return task.moved;
    });
  }

  async list(sourceArn: string, max: number): Promise<SQS.ListMessageMoveTasksResultEntry[]> {
    if (!(await this.queues.byArn(sourceArn))) {
      throw new ResourceNotFoundException(
        "The resource that you specified for the SourceArn parameter doesn't exist.",
      );
    }
    if (max < 1 || max > 10) throw invalidParameter('MaxResults', max, 'Must be between 1 and 10.');
    return (await moveTaskQueries.list(this.store, sourceArn, max)).map((t) => ({
      ...(t.status === 'RUNNING' ? { TaskHandle: taskHandle(t) } : {}),
      Status: t.status,
      SourceArn: t.source_arn,
      ...(t.destination_arn ? { DestinationArn: t.destination_arn } : {}),
      ...(t.rate !== null ? { MaxNumberOfMessagesPerSecond: t.rate } : {}),
      ApproximateNumberOfMessagesMoved: t.moved,
      ApproximateNumberOfMessagesToMove: t.to_move,
      ...(t.failure_reason ? { FailureReason: t.failure_reason } : {}),
      StartedTimestamp: t.started_at,
    }));
  }

  /** One step of every running task; the worker calls it every `stepMs`. */
  async step(): Promise<void> {
    // Most of the time nothing runs: a plain read, so idle steps never take the write lock.
    if (!(await moveTaskQueries.anyRunning(this.store))) return;
    await this.store.transaction(async (tx) => {
      for (const task of await moveTaskQueries.running(tx, this.store.dialect)) await this.stepTask(tx, task);
    });
  }

  private async stepTask(tx: Queryable, task: MoveTaskRow): Promise<void> {
    const now = this.clock.now();
    const source = await this.queues.byArn(task.source_arn, tx);
    if (!source) {
      await moveTaskQueries.progress(tx, task.task_id, task.moved, 'FAILED', 'The source queue was deleted.');
      return;
    }
    const budget = Math.max(1, Math.ceil(((task.rate ?? defaultRate) * stepMs) / 1000));
    const batch = await messageQueries.standardCandidates(tx, this.store.dialect, source.id, now, 0, budget);
    if (batch.length === 0) {
      await moveTaskQueries.progress(tx, task.task_id, task.moved, 'COMPLETED', null);
      return;
    }
    const byDestination = new Map<string, number[]>();
    for (const m of batch) {
      const destination = task.destination_arn ?? m.dead_letter_source;
      if (!destination) continue;
      byDestination.set(destination, [...(byDestination.get(destination) ?? []), m.seq]);
    }
    let moved = task.moved;
    for (const [arn, seqs] of byDestination) {
      const destination = await this.queues.byArn(arn, tx);
      if (!destination) {
        await moveTaskQueries.progress(
          tx,
          task.task_id,
          moved,
          'FAILED',
          `The destination queue ${arn} does not exist.`,
        );
        return;
      }
      await messageQueries.move(tx, seqs, destination.id, now, null);
      this.polls.notify(destination.id);
      moved += seqs.length;
    }
    if (moved === task.moved) {
      await moveTaskQueries.progress(
        tx,
        task.task_id,
        moved,
        'FAILED',
        'The messages have no source queue to return to.',
      );
      return;
    }
    await moveTaskQueries.progress(tx, task.task_id, moved, 'RUNNING', null);
  }
}
