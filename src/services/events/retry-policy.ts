/**
 * What happens after a target fails to take an event, per its RetryPolicy (EventBridge's
 * defaults: 185 retries within 24 hours): a retry after an exponential backoff with jitter, or —
 * once the retries or the event's age run out, or at once for failures retrying cannot fix (the
 * target does not exist, the request is wrong) — the dead-letter queue. Pure; `random` is
 * injected so tests can pin the jitter.
 */
import type * as EventBridge from '@aws-sdk/client-eventbridge';

export const defaultMaximumRetryAttempts = 185;
export const defaultMaximumEventAgeInSeconds = 86_400;

/** The longest wait between two attempts. */
const maxBackoffSeconds = 300;

export type ExhaustedCondition = 'MaximumRetryAttempts' | 'MaximumEventAgeInSeconds';

export type AfterFailure =
  | { retryAt: number }
  /** `exhausted` is absent for failures that are not retried. */
  | { deadLetter: true; exhausted?: ExhaustedCondition };

export function afterFailure(options: {
  policy: EventBridge.RetryPolicy | undefined;
  /** Retries already made (not counting the first attempt). */
  retries: number;
  retryable: boolean;
  ingestedAt: number;
  now: number;
  random?: () => number;
}): AfterFailure {
  const { policy, retries, retryable, ingestedAt, now, random = Math.random } = options;
  if (!retryable) return { deadLetter: true };
  const maxRetries = policy?.MaximumRetryAttempts ?? defaultMaximumRetryAttempts;
  if (retries >= maxRetries) return { deadLetter: true, exhausted: 'MaximumRetryAttempts' };
  const ceiling = Math.min(2 ** retries, maxBackoffSeconds) * 1000;
  const retryAt = now + Math.round(ceiling / 2 + (random() * ceiling) / 2);
  const maxAgeMs = (policy?.MaximumEventAgeInSeconds ?? defaultMaximumEventAgeInSeconds) * 1000;
  if (retryAt - ingestedAt > maxAgeMs) return { deadLetter: true, exhausted: 'MaximumEventAgeInSeconds' };
  return { retryAt };
}
