import { describe, expect, it } from 'vitest';
import { afterFailure } from './retry-policy.js';

const now = 1_000_000_000;
const base = { policy: undefined, retryable: true, ingestedAt: now, now, random: () => 1 };

describe('retries after a failed delivery', () => {
  it('backs off exponentially, with jitter, up to five minutes', () => {
    expect(afterFailure({ ...base, retries: 0 })).toEqual({ retryAt: now + 1000 });
    expect(afterFailure({ ...base, retries: 3 })).toEqual({ retryAt: now + 8000 });
    expect(afterFailure({ ...base, retries: 20 })).toEqual({ retryAt: now + 300_000 });
    expect(afterFailure({ ...base, retries: 3, random: () => 0 })).toEqual({ retryAt: now + 4000 });
  });

  it('retries 185 times by default, then gives up', () => {
    expect(afterFailure({ ...base, retries: 184 })).toHaveProperty('retryAt');
    expect(afterFailure({ ...base, retries: 185 })).toEqual({
      deadLetter: true,
      exhausted: 'MaximumRetryAttempts',
    });
  });

  it('gives up once the event is older than MaximumEventAgeInSeconds (a day by default)', () => {
    const old = { ...base, ingestedAt: now - 86_400_000 + 500, retries: 0 };
    expect(afterFailure(old)).toEqual({ deadLetter: true, exhausted: 'MaximumEventAgeInSeconds' });
    const policy = { MaximumEventAgeInSeconds: 60, MaximumRetryAttempts: 185 };
    expect(afterFailure({ ...base, policy, ingestedAt: now - 59_500, retries: 0 })).toEqual({
      deadLetter: true,
      exhausted: 'MaximumEventAgeInSeconds',
    });
  });

  it('follows MaximumRetryAttempts, 0 included', () => {
    const policy = { MaximumRetryAttempts: 0 };
    expect(afterFailure({ ...base, policy, retries: 0 })).toEqual({
      deadLetter: true,
      exhausted: 'MaximumRetryAttempts',
    });
  });

  it('does not retry what retrying cannot fix', () => {
    expect(afterFailure({ ...base, retries: 0, retryable: false })).toEqual({ deadLetter: true });
  });
});
