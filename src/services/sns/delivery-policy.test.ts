import { describe, expect, it } from 'vitest';
import {
  defaultHttpRetryPolicy,
  effectiveSubscriptionPolicy,
  managedRetryPolicy,
  retryDelaySeconds,
  retryPolicyProblem,
  type RetryPolicy,
} from './delivery-policy.js';

const schedule = (policy: RetryPolicy, count = policy.numRetries + 1) =>
  Array.from({ length: count }, (_, i) => retryDelaySeconds(policy, i + 1));

describe('retry schedules', () => {
  it('the default HTTP/S policy retries three times, 20 seconds apart, then stops', () => {
    expect(schedule(defaultHttpRetryPolicy)).toEqual([20, 20, 20, undefined]);
  });

  it.each<[string, Partial<RetryPolicy>, (number | undefined)[]]>([
    [
      'no-delay, min-delay, backoff and max-delay phases in order',
      {
        numRetries: 7,
        numNoDelayRetries: 1,
        numMinDelayRetries: 2,
        numMaxDelayRetries: 2,
        minDelayTarget: 2,
        maxDelayTarget: 10,
      },
      [0, 2, 2, 6, 10, 10, 10, undefined],
    ],
    [
      'linear backoff between min and max',
      { numRetries: 4, minDelayTarget: 10, maxDelayTarget: 50 },
      [20, 30, 40, 50, undefined],
    ],
    [
      'arithmetic backoff grows by the square',
      { numRetries: 2, minDelayTarget: 10, maxDelayTarget: 50, backoffFunction: 'arithmetic' },
      [20, 50, undefined],
    ],
    [
      'geometric backoff multiplies',
      { numRetries: 2, minDelayTarget: 1, maxDelayTarget: 100, backoffFunction: 'geometric' },
      [10, 100, undefined],
    ],
    ['no retries at all', { numRetries: 0 }, [undefined]],
  ])('%s', (_name, policy, expected) => {
    const full = { ...defaultHttpRetryPolicy, ...policy };
    expect(schedule(full).map((d) => (d === undefined ? d : Math.round(d * 1000) / 1000))).toEqual(expected);
  });

  it('exponential backoff stays near the minimum and rises to the maximum', () => {
    const delays = schedule(
      {
        ...defaultHttpRetryPolicy,
        numRetries: 10,
        minDelayTarget: 1,
        maxDelayTarget: 20,
        backoffFunction: 'exponential',
      },
      10,
    ) as number[];
    expect(delays[0]).toBeLessThan(1.1);
    expect(delays.at(-1)).toBe(20);
    for (let i = 1; i < delays.length; i++) expect(delays[i]!).toBeGreaterThan(delays[i - 1]!);
  });

  it("SNS's managed policy for SQS and Lambda: 3 at once, 2 after a second, backoff to 20 s, then 20 s", () => {
    expect(schedule(managedRetryPolicy, 6).slice(0, 5)).toEqual([0, 0, 0, 1, 1]);
    expect(retryDelaySeconds(managedRetryPolicy, 15)).toBe(20);
    expect(retryDelaySeconds(managedRetryPolicy, 100_015)).toBe(20);
    expect(retryDelaySeconds(managedRetryPolicy, 100_016)).toBeUndefined();
  });
});

describe('validation and the effective policy', () => {
  it.each<[Partial<RetryPolicy>, string | undefined]>([
    [{ numRetries: 101 }, 'numRetries must be between 0 and 100'],
    [{ minDelayTarget: 0 }, 'minDelayTarget must be between 1 and 3600'],
    [
      { minDelayTarget: 30, maxDelayTarget: 20 },
      'minDelayTarget must be less than or equal to maxDelayTarget',
    ],
    [
      { numRetries: 2, numNoDelayRetries: 3 },
      'numRetries must be at least numNoDelayRetries + numMinDelayRetries + numMaxDelayRetries',
    ],
    [{ backoffFunction: 'cubic' as RetryPolicy['backoffFunction'] }, 'backoffFunction cubic is not valid'],
    [{ numRetries: 10, minDelayTarget: 1, maxDelayTarget: 60, backoffFunction: 'geometric' }, undefined],
  ])('%j → %s', (policy, problem) => {
    expect(retryPolicyProblem(policy)).toBe(problem);
  });

  it("a subscription's own policy wins over the topic's default unless the topic disables overrides", () => {
    const topic = JSON.stringify({ http: { defaultHealthyRetryPolicy: { numRetries: 7 } } });
    const own = JSON.stringify({
      healthyRetryPolicy: { numRetries: 1 },
      requestPolicy: { headerContentType: 'application/json' },
    });
    expect(effectiveSubscriptionPolicy(topic, undefined).healthyRetryPolicy.numRetries).toBe(7);
    const effective = effectiveSubscriptionPolicy(topic, own);
    expect(effective.healthyRetryPolicy.numRetries).toBe(1);
    expect(effective.requestPolicy.headerContentType).toBe('application/json');
    const locked = JSON.stringify({
      http: { defaultHealthyRetryPolicy: { numRetries: 7 }, disableSubscriptionOverrides: true },
    });
    expect(effectiveSubscriptionPolicy(locked, own).healthyRetryPolicy.numRetries).toBe(7);
  });
});
