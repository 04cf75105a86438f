/**
 * Delivery policies, pure: the HTTP/S retry policy a topic or subscription sets, the one in effect
 * for a subscription, and the delay before each retry. SNS's retry schedule has four phases:
 * `numNoDelayRetries` at once, `numMinDelayRetries` after `minDelayTarget`, a backoff phase from
 * `minDelayTarget` to `maxDelayTarget` shaped by `backoffFunction`, then `numMaxDelayRetries` after
 * `maxDelayTarget`; `numRetries` counts them all.
 */
export interface RetryPolicy {
  minDelayTarget: number;
  maxDelayTarget: number;
  numRetries: number;
  numMaxDelayRetries: number;
  numNoDelayRetries: number;
  numMinDelayRetries: number;
  backoffFunction: 'linear' | 'arithmetic' | 'geometric' | 'exponential';
}

export const defaultHttpRetryPolicy: RetryPolicy = {
  minDelayTarget: 20,
  maxDelayTarget: 20,
  numRetries: 3,
  numMaxDelayRetries: 0,
  numNoDelayRetries: 0,
  numMinDelayRetries: 0,
  backoffFunction: 'linear',
};

/**
 * What SNS applies to SQS and Lambda endpoints (not configurable): 3 immediate retries, 2 after a
 * second, 10 backing off to 20 seconds, then every 20 seconds — 100,015 attempts over 23 days.
 */
export const managedRetryPolicy: RetryPolicy = {
  minDelayTarget: 1,
  maxDelayTarget: 20,
  numRetries: 100_015,
  numMaxDelayRetries: 100_000,
  numNoDelayRetries: 3,
  numMinDelayRetries: 2,
  backoffFunction: 'exponential',
};

export const defaultHeaderContentType = 'text/plain; charset=UTF-8';

/** A topic's EffectiveDeliveryPolicy: its own DeliveryPolicy over the defaults. */
export function effectiveTopicDeliveryPolicy(topicPolicy: string | undefined): string {
  const own = topicPolicy ? (JSON.parse(topicPolicy) as { http?: Record<string, unknown> }) : {};
  return JSON.stringify({
    http: {
      defaultHealthyRetryPolicy: defaultHttpRetryPolicy,
      disableSubscriptionOverrides: false,
      defaultRequestPolicy: { headerContentType: defaultHeaderContentType },
      ...own.http,
    },
  });
}

export interface EffectiveSubscriptionPolicy {
  healthyRetryPolicy: RetryPolicy;
  throttlePolicy: unknown;
  requestPolicy: { headerContentType: string };
  guaranteed: boolean;
  sicklyRetryPolicy: null;
}

/** The policy an HTTP/S subscription is delivered with: its own, else the topic's defaults. */
export function effectiveSubscriptionPolicy(
  topicPolicy: string | undefined,
  subscriptionPolicy: string | undefined,
): EffectiveSubscriptionPolicy {
  const topic = (topicPolicy ? JSON.parse(topicPolicy) : {}) as {
    http?: {
      defaultHealthyRetryPolicy?: Partial<RetryPolicy>;
      disableSubscriptionOverrides?: boolean;
      defaultThrottlePolicy?: unknown;
      defaultRequestPolicy?: { headerContentType?: string };
    };
  };
  const own = (
    subscriptionPolicy && !topic.http?.disableSubscriptionOverrides ? JSON.parse(subscriptionPolicy) : {}
  ) as {
    healthyRetryPolicy?: Partial<RetryPolicy>;
    throttlePolicy?: unknown;
    requestPolicy?: { headerContentType?: string };
  };
  return {
    healthyRetryPolicy: {
      ...defaultHttpRetryPolicy,
      ...(own.healthyRetryPolicy ?? topic.http?.defaultHealthyRetryPolicy),
    },
    sicklyRetryPolicy: null,
    throttlePolicy: own.throttlePolicy ?? topic.http?.defaultThrottlePolicy ?? null,
    requestPolicy: {
      headerContentType:
        own.requestPolicy?.headerContentType ??
        topic.http?.defaultRequestPolicy?.headerContentType ??
        defaultHeaderContentType,
    },
    guaranteed: false,
  };
}

/** Seconds to wait before retry number `retry` (1-based), or undefined once retries are spent. */
export function retryDelaySeconds(policy: RetryPolicy, retry: number): number | undefined {
  if (retry < 1 || retry > policy.numRetries) return undefined;
  const { numNoDelayRetries: none, numMinDelayRetries: min, numMaxDelayRetries: max } = policy;
  if (retry <= none) return 0;
  if (retry <= none + min) return policy.minDelayTarget;
  const backoffRetries = policy.numRetries - none - min - max;
  const step = retry - none - min;
  if (step > backoffRetries) return policy.maxDelayTarget;
  const low = policy.minDelayTarget;
  const high = policy.maxDelayTarget;
  const f = step / backoffRetries;
  switch (policy.backoffFunction) {
    case 'linear':
      return low + (high - low) * f;
    case 'arithmetic':
      return low + (high - low) * f * f;
    case 'geometric':
      return low * Math.pow(high / low, f);
    case 'exponential':
      return low + ((high - low) * (Math.pow(2, 10 * f) - 1)) / (Math.pow(2, 10) - 1);
  }
}

const backoffFunctions = new Set(['linear', 'arithmetic', 'geometric', 'exponential']);

/**
 * Validates a retry policy as SNS does (0–100 retries, delays 1–3600 s, min <= max, the phases
 * fitting in numRetries); returns the reason it is invalid, or undefined.
 */
export function retryPolicyProblem(policy: Partial<RetryPolicy>): string | undefined {
  const full = { ...defaultHttpRetryPolicy, ...policy };
  const counts = ['numRetries', 'numMaxDelayRetries', 'numNoDelayRetries', 'numMinDelayRetries'] as const;
  for (const name of counts) {
    const value = full[name];
    if (!Number.isInteger(value) || value < 0 || value > 100) return `${name} must be between 0 and 100`;
  }
  for (const name of ['minDelayTarget', 'maxDelayTarget'] as const) {
    const value = full[name];
    if (!Number.isInteger(value) || value < 1 || value > 3600) return `${name} must be between 1 and 3600`;
  }
  if (full.minDelayTarget > full.maxDelayTarget)
    return 'minDelayTarget must be less than or equal to maxDelayTarget';
  if (full.numNoDelayRetries + full.numMinDelayRetries + full.numMaxDelayRetries > full.numRetries) {
    return 'numRetries must be at least numNoDelayRetries + numMinDelayRetries + numMaxDelayRetries';
  }
  if (!backoffFunctions.has(full.backoffFunction))
    return `backoffFunction ${String(full.backoffFunction)} is not valid`;
  return undefined;
}
