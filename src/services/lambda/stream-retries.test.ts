import { describe, expect, it } from 'vitest';
import {
  agedRecords,
  decide,
  freshAttempt,
  type HeadAttempt,
  type Outcome,
  type RetryPolicy,
} from './stream-retries.js';

const plain: RetryPolicy = { bisectBatchOnFunctionError: false, maximumRetryAttempts: 2 };
const bisect: RetryPolicy = { bisectBatchOnFunctionError: true, maximumRetryAttempts: 1 };
const forever: RetryPolicy = { bisectBatchOnFunctionError: false, maximumRetryAttempts: -1 };

const error: Outcome = { kind: 'error' };
const success: Outcome = { kind: 'success' };
const partialAt = (failedAt: number): Outcome => ({ kind: 'partial', failedAt });
const at = (size: number, retries: number, invokes: number): HeadAttempt => ({ size, retries, invokes });

describe('decide', () => {
  it.each([
    [
      'a success settles the batch',
      plain,
      freshAttempt,
      4,
      success,
      { done: 4, discard: 0, next: freshAttempt },
    ],
    [
      'a function error retries the same records',
      plain,
      freshAttempt,
      4,
      error,
      { done: 0, discard: 0, next: at(4, 1, 1) },
    ],
    [
      'still within MaximumRetryAttempts',
      plain,
      at(4, 1, 1),
      4,
      error,
      { done: 0, discard: 0, next: at(4, 2, 2) },
    ],
    [
      'past MaximumRetryAttempts the batch is given up on',
      plain,
      at(4, 2, 2),
      4,
      error,
      { done: 0, discard: 4, discardedInvokes: 3, next: freshAttempt },
    ],
    [
      '-1 retries without end',
      forever,
      at(4, 500, 500),
      4,
      error,
      { done: 0, discard: 0, next: at(4, 501, 501) },
    ],
    [
      'bisecting retries the first half without consuming the quota',
      bisect,
      freshAttempt,
      5,
      error,
      { done: 0, discard: 0, next: at(3, 0, 1) },
    ],
    [
      'a failing batch of one consumes it',
      bisect,
      at(1, 0, 3),
      1,
      error,
      { done: 0, discard: 0, next: at(1, 1, 4) },
    ],
    [
      'and is given up on alone',
      bisect,
      at(1, 1, 4),
      1,
      error,
      { done: 0, discard: 1, discardedInvokes: 5, next: freshAttempt },
    ],
    [
      'a partial failure settles what came before and retries a full batch from the failed record',
      plain,
      freshAttempt,
      5,
      partialAt(2),
      { done: 2, discard: 0, next: at(0, 1, 1) },
    ],
    [
      'bisecting, only the rest of the batch is retried',
      bisect,
      freshAttempt,
      5,
      partialAt(2),
      { done: 2, discard: 0, next: at(3, 1, 1) },
    ],
    [
      'the same record failing again counts on',
      plain,
      at(0, 2, 2),
      3,
      partialAt(0),
      { done: 0, discard: 3, discardedInvokes: 3, next: freshAttempt },
    ],
  ] as const)('%s', (_name, policy, attempt, length, outcome, expected) => {
    expect(decide(policy, attempt, length, outcome)).toEqual({ discardedInvokes: 0, ...expected });
  });
});

describe('agedRecords', () => {
  it.each([
    [[], 0],
    [[1000, 2000], 0],
    [[0, 400, 1000, 5000], 2],
    [[0, 0], 2],
  ])('counts the leading records older than the limit: %j', (createdAt, count) => {
    expect(agedRecords(createdAt, 1500, 1000)).toBe(count);
  });
});
