import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../engine/clock.js';
import { Throttles, TokenBucket } from './throttle.js';

function passes(bucket: TokenBucket, now: number, tries: number): number {
  let passed = 0;
  for (let i = 0; i < tries; i++) if (bucket.take(now)) passed++;
  return passed;
}

describe('token bucket', () => {
  it.each([
    { rateLimit: 1, burstLimit: 3, afterMs: 0, expected: 0 },
    { rateLimit: 1, burstLimit: 3, afterMs: 1000, expected: 1 },
    { rateLimit: 1, burstLimit: 3, afterMs: 2500, expected: 2 },
    { rateLimit: 1, burstLimit: 3, afterMs: 60_000, expected: 3 },
    { rateLimit: 10, burstLimit: 5, afterMs: 200, expected: 2 },
  ])(
    'rate $rateLimit/s, burst $burstLimit: $expected pass $afterMs ms after the burst is spent',
    ({ rateLimit, burstLimit, afterMs, expected }) => {
      const bucket = new TokenBucket({ rateLimit, burstLimit }, 0);
      expect(passes(bucket, 0, burstLimit + 5)).toBe(burstLimit);
      expect(passes(bucket, afterMs, 100)).toBe(expected);
    },
  );

  it('a burst of 0 refuses every request', () => {
    expect(passes(new TokenBucket({ rateLimit: 100, burstLimit: 0 }, 0), 10_000, 5)).toBe(0);
  });
});

describe('throttles by name', () => {
  it('keeps one bucket per name, refilled on the clock', () => {
    const clock = new ManualClock(1_000_000);
    const throttles = new Throttles(clock);
    const limits = { rateLimit: 1, burstLimit: 2 };
    expect([1, 2, 3].map(() => throttles.take('a', limits))).toEqual([true, true, false]);
    expect(throttles.take('b', limits)).toBe(true);
    clock.advance(1000);
    expect([1, 2].map(() => throttles.take('a', limits))).toEqual([true, false]);
  });

  it('new limits apply to an existing bucket without refilling it', () => {
    const throttles = new Throttles(new ManualClock(0));
    expect(throttles.take('a', { rateLimit: 1, burstLimit: 1 })).toBe(true);
    expect(throttles.take('a', { rateLimit: 1, burstLimit: 10 })).toBe(false);
  });
});
