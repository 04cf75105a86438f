/**
 * One batch lane of a shard: with ParallelizationFactor N a shard's records are dealt to N lanes
 * by partition key, so one key's records always meet the function in one lane, in order, while
 * the lanes' batches run concurrently. A lane forms batches from its head (BatchSize, within
 * MaximumBatchingWindowInSeconds of its first record, within one tumbling window), invokes the
 * function, applies Lambda's retry rules (stream-retries.ts) and writes its checkpoint after
 * every batch it settles.
 *
 * Records no filter matches are passed over (and checkpointed past) without an invocation. With
 * TumblingWindowInSeconds, each invocation of a window receives the state the previous one
 * returned; once the window is over (a record of a later window arrives, Stratus's time passes
 * its end, or the shard ends) a last invocation with no records and `isFinalInvokeForWindow`
 * hands the function the final state.
 */
import type { Clock } from '../../engine/clock.js';
import type { EventSourceMappingRow } from './event-source-tables.js';
import { maxSyncPayloadBytes } from './invoke.js';
import type { LaneState } from './stream-checkpoints.js';
import {
  readStreamAnswer,
  streamEvent,
  windowOf,
  type DynamoDbEventRecord,
  type FailureCondition,
  type StreamAnswer,
  type TumblingWindow,
} from './stream-event.js';
import type { StreamSettings } from './stream-mapping.js';
import { agedRecords, decide, freshAttempt, type HeadAttempt } from './stream-retries.js';

/** DynamoDB Streams keeps records 24 hours: a MaximumRecordAgeInSeconds of -1 retries until then. */
const streamRetentionMs = 24 * 3600 * 1000;
const maxRetryPauseMs = 2000;

/** A record read from the shard, waiting in its lane. */
export interface QueuedRecord {
  seq: bigint;
  record: DynamoDbEventRecord;
  matches: boolean;
  /** When the record was written (ms, to the second). */
  createdAt: number;
  /** Stratus's time when it was read, for the batching window. */
  queuedAt: number;
}

export interface InvocationAnswer extends StreamAnswer {
  requestId: string;
  executedVersion: string;
}

/** What a lane needs of its shard's worker. */
export interface LaneContext {
  mapping: EventSourceMappingRow;
  settings: StreamSettings;
  shardId: string;
  clock: Clock;
  /** Runs the function; throws Lambda's errors (a throttle, a missing function). */
  invoke(event: Buffer): Promise<InvocationAnswer>;
  /** Gives up on records: their failure record goes to the OnFailure destination, if any. */
  giveUp(
    records: readonly DynamoDbEventRecord[],
    condition: FailureCondition,
    invokes: number,
    last: InvocationAnswer | undefined,
  ): Promise<void>;
  /** Writes every lane's checkpoint. */
  save(): Promise<void>;
  iteratorAge(ms: number): void;
  processingResult(result: string, err?: unknown): void;
  /** Waits on the host's time: a throttled invocation is tried again a second later, whatever the clock does. */
  pause(ms: number): Promise<void>;
  /** Waits on Stratus's time: the pause between a failed batch and its retry. */
  delay(ms: number): Promise<void>;
}

export type LaneStep = 'busy' | 'idle' | 'done';

export class StreamLane {
  private readonly queue: QueuedRecord[] = [];
  private attempt: HeadAttempt;
  private lastInvocation: InvocationAnswer | undefined;

  constructor(
    private readonly cx: LaneContext,
    readonly state: LaneState,
  ) {
    this.attempt = { size: 0, retries: state.retries, invokes: state.invokes };
  }

  get pending(): number {
    return this.queue.length;
  }

  /** Takes a record read from the shard, unless the lane's checkpoint is already past it. */
  push(record: QueuedRecord): void {
    if (this.state.after !== null && record.seq <= BigInt(this.state.after)) return;
    this.queue.push(record);
  }

  /** Does the next thing there is to do: `idle` when it must wait, `done` when an ended shard has nothing left here. */
  async step(shardEnded: boolean): Promise<LaneStep> {
    if (this.passOverUnmatched()) {
      await this.cx.save();
      return 'busy';
    }
    const head = this.queue[0];
    const open = this.openWindow();
    if (open && (head ? head.createdAt >= open.end : shardEnded || this.cx.clock.now() >= open.end)) {
      await this.closeWindow(open);
      return 'busy';
    }
    if (!head) return shardEnded && !open ? 'done' : 'idle';
    const batch = this.nextBatch(shardEnded);
    if (!batch) return 'idle';
    await this.run(batch);
    return 'busy';
  }

  /** Moves the head past records no filter matches. */
  private passOverUnmatched(): boolean {
    let last: QueuedRecord | undefined;
    while (this.queue[0] && !this.queue[0].matches) last = this.queue.shift();
    if (!last) return false;
    this.state.after = last.record.dynamodb.SequenceNumber;
    return true;
  }

  private get windowSeconds(): number {
    return this.cx.settings.TumblingWindowInSeconds;
  }

  private openWindow(): TumblingWindow | undefined {
    return this.state.window ? windowOf(this.state.window.start, this.windowSeconds) : undefined;
  }

  /** The matching records of the next batch, or undefined while the batching window is still open. */
  private nextBatch(shardEnded: boolean): QueuedRecord[] | undefined {
    const head = this.queue[0]!;
    const limit = this.attempt.size || this.cx.mapping.batch_size;
    const windowEnd = this.windowSeconds > 0 ? windowOf(head.createdAt, this.windowSeconds).end : Infinity;
    const batch: QueuedRecord[] = [];
    for (const queued of this.queue) {
      if (queued.createdAt >= windowEnd || batch.length === limit) break;
      if (queued.matches) batch.push(queued);
    }
    const waitMs = this.cx.mapping.maximum_batching_window * 1000;
    const gathering = batch.length < limit && this.attempt.invokes === 0 && !shardEnded;
    if (gathering && this.cx.clock.now() < head.queuedAt + waitMs) return undefined;
    return batch;
  }

  private async run(batch: QueuedRecord[]): Promise<void> {
    const { settings, clock } = this.cx;
    const now = clock.now();
    const maxAgeMs =
      settings.MaximumRecordAgeInSeconds === -1
        ? streamRetentionMs
        : settings.MaximumRecordAgeInSeconds * 1000;
    const aged = agedRecords(
      batch.map((q) => q.createdAt),
      now,
      maxAgeMs,
    );
    if (aged > 0) {
      await this.giveUp(batch.slice(0, aged), 'RecordAgeExceeded', this.attempt.invokes);
      this.settle(freshAttempt);
      await this.cx.save();
      return;
    }
    const window = this.windowSeconds > 0 ? windowOf(batch[0]!.createdAt, this.windowSeconds) : undefined;
    const { event, count } = streamEvent(
      batch.map((q) => q.record),
      maxSyncPayloadBytes,
      window && this.windowFields(window, false),
    );
    const sent = batch.slice(0, count);
    const answer = await this.invoke(event);
    if (!answer) return;
    const { outcome, state } = readStreamAnswer(
      sent.map((q) => q.record.dynamodb.SequenceNumber),
      answer,
      {
        reportBatchItemFailures: this.reportsItemFailures,
        windowed: window !== undefined,
      },
    );
    const decision = decide(
      {
        bisectBatchOnFunctionError: settings.BisectBatchOnFunctionError,
        maximumRetryAttempts: settings.MaximumRetryAttempts,
      },
      this.attempt,
      sent.length,
      outcome,
    );
    if (window && state !== undefined) this.state.window = { start: window.start, state };
    if (decision.done > 0) {
      const last = sent[decision.done - 1]!;
      this.consumeThrough(last);
      this.cx.iteratorAge(clock.now() - last.createdAt);
    }
    if (decision.discard > 0) {
      const discarded = sent.slice(decision.done, decision.done + decision.discard);
      await this.giveUp(discarded, 'RetryAttemptsExhausted', decision.discardedInvokes);
    }
    this.settle(decision.next);
    this.cx.processingResult(outcome.kind === 'error' ? 'PROBLEM: Function call failed' : 'OK');
    await this.cx.save();
    if (decision.next.invokes > 0) await this.cx.delay(retryPause(decision.next.invokes));
  }

  /** The last invocation of a tumbling window: no records, its final state. */
  private async closeWindow(window: TumblingWindow): Promise<void> {
    const { event } = streamEvent([], maxSyncPayloadBytes, this.windowFields(window, true));
    const answer = await this.invoke(event);
    if (!answer) return;
    const maximumRetryAttempts = this.cx.settings.MaximumRetryAttempts;
    if (answer.functionError) {
      const retries = this.attempt.retries + 1;
      if (maximumRetryAttempts === -1 || retries <= maximumRetryAttempts) {
        this.settle({ size: 0, retries, invokes: this.attempt.invokes + 1 });
        await this.cx.save();
        await this.cx.delay(retryPause(retries));
        return;
      }
    }
    delete this.state.window;
    this.settle(freshAttempt);
    await this.cx.save();
  }

  private windowFields(window: TumblingWindow, final: boolean) {
    return {
      window,
      state: this.state.window?.start === window.start ? this.state.window.state : {},
      shardId: this.cx.shardId,
      eventSourceARN: this.cx.mapping.event_source_arn,
      isFinalInvokeForWindow: final,
    };
  }

  private get reportsItemFailures(): boolean {
    return (JSON.parse(this.cx.mapping.function_response_types) as string[]).includes(
      'ReportBatchItemFailures',
    );
  }

  /** One invocation; a throttle or a missing function leaves everything as it was, to try again shortly. */
  private async invoke(event: Buffer): Promise<InvocationAnswer | undefined> {
    try {
      const answer = await this.cx.invoke(event);
      this.lastInvocation = answer;
      return answer;
    } catch (err) {
      this.cx.processingResult(problemOf(err), err);
      await this.cx.pause(1000);
      return undefined;
    }
  }

  private async giveUp(records: QueuedRecord[], condition: FailureCondition, invokes: number): Promise<void> {
    await this.cx.giveUp(
      records.map((q) => q.record),
      condition,
      invokes,
      invokes > 0 ? this.lastInvocation : undefined,
    );
    this.consumeThrough(records[records.length - 1]!);
  }

  /** Drops the records up to `last` (and the unmatched ones among them) and checkpoints after it. */
  private consumeThrough(last: QueuedRecord): void {
    while (this.queue[0] && this.queue[0].seq <= last.seq) this.queue.shift();
    this.state.after = last.record.dynamodb.SequenceNumber;
  }

  private settle(attempt: HeadAttempt): void {
    this.attempt = attempt;
    this.state.retries = attempt.retries;
    this.state.invokes = attempt.invokes;
  }
}

/** Retries come quickly, then less so: 100 ms after the first failure, doubling up to 2 s. */
function retryPause(failures: number): number {
  return Math.min(100 * 2 ** Math.max(0, failures - 1), maxRetryPauseMs);
}

/** LastProcessingResult for an invocation that did not happen. */
function problemOf(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'ResourceNotFoundException') return 'PROBLEM: Function not found';
  if (code === 'TooManyRequestsException') return 'PROBLEM: Lambda function throttled';
  return 'PROBLEM: Function call failed';
}
