/**
 * Lambda's rules for a stream batch that failed — pure, tested table-driven (stream-retries.test.ts).
 *
 * A lane retries from its head record, in order, until the batch succeeds, the head has failed
 * more than MaximumRetryAttempts times (-1: no limit), or its records are too old
 * (MaximumRecordAgeInSeconds, checked before each invocation); records given up on go to the
 * OnFailure destination and the lane moves past them.
 *
 * - A function error fails the whole batch. With BisectBatchOnFunctionError the batch is split
 *   in two and its first half retried; splitting does not consume the retry quota, so only a
 *   batch of one record that fails counts.
 * - With ReportBatchItemFailures, the records before the lowest sequence number named succeeded;
 *   Lambda retries from that record — the rest of that batch only, when bisecting, otherwise a
 *   full batch from there.
 */

export interface RetryPolicy {
  bisectBatchOnFunctionError: boolean;
  /** -1: until the records expire. */
  maximumRetryAttempts: number;
}

/** Where a lane stands with its head record. */
export interface HeadAttempt {
  /** Records the next batch may hold at most; 0: a full batch (BatchSize). */
  size: number;
  /** Failed attempts at the head record. */
  retries: number;
  /** Invocations that included the head record. */
  invokes: number;
}

export const freshAttempt: HeadAttempt = { size: 0, retries: 0, invokes: 0 };

export type Outcome = { kind: 'success' } | { kind: 'partial'; failedAt: number } | { kind: 'error' };

export interface Decision {
  /** Records from the head of the batch that are done. */
  done: number;
  /** Records after those that are given up on (sent to the OnFailure destination). */
  discard: number;
  /** Invocations of the discarded records, for their failure record. */
  discardedInvokes: number;
  next: HeadAttempt;
}

/** What to do after invoking a batch of `length` records (`attempt` as it stood before). */
export function decide(
  policy: RetryPolicy,
  attempt: HeadAttempt,
  length: number,
  outcome: Outcome,
): Decision {
  const invokes = attempt.invokes + 1;
  if (outcome.kind === 'success')
    return { done: length, discard: 0, discardedInvokes: 0, next: freshAttempt };
  if (outcome.kind === 'error' && policy.bisectBatchOnFunctionError && length > 1) {
    return {
      done: 0,
      discard: 0,
      discardedInvokes: 0,
      next: { size: Math.ceil(length / 2), retries: attempt.retries, invokes },
    };
  }
  const done = outcome.kind === 'partial' ? outcome.failedAt : 0;
  // A new head has failed once; the same head once more.
  const retries = done > 0 ? 1 : attempt.retries + 1;
  const headInvokes = done > 0 ? 1 : invokes;
  const rest = length - done;
  if (policy.maximumRetryAttempts !== -1 && retries > policy.maximumRetryAttempts) {
    return { done, discard: rest, discardedInvokes: headInvokes, next: freshAttempt };
  }
  const size = outcome.kind === 'error' || policy.bisectBatchOnFunctionError ? rest : 0;
  return { done, discard: 0, discardedInvokes: 0, next: { size, retries, invokes: headInvokes } };
}

/** How many records at the head of a batch are older than `maxAgeMs` (creation times in ms). */
export function agedRecords(createdAt: readonly number[], now: number, maxAgeMs: number): number {
  let count = 0;
  while (count < createdAt.length && now - createdAt[count]! > maxAgeMs) count++;
  return count;
}
