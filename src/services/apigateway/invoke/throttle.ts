/**
 * API Gateway's throttling: a token bucket per limit — `burstLimit` tokens at most, refilled at
 * `rateLimit` per second — from which each request takes one or is refused (429). Buckets live in
 * this node's memory (each node throttles on its own) and refill on Stratus's clock, so a test can
 * advance time to refill them.
 */
import { BoundedMap } from '../../../engine/bounded-map.js';
import type { Clock } from '../../../engine/clock.js';

export interface ThrottleLimits {
  /** Requests per second, steady state. */
  rateLimit: number;
  /** Requests at once: the bucket's size. */
  burstLimit: number;
}

/** One bucket: `take(now)` answers whether a request may pass at `now` (ms). */
export class TokenBucket {
  private tokens: number;
  private refilledAt: number;

  constructor(
    private limits: ThrottleLimits,
    now: number,
  ) {
    this.tokens = limits.burstLimit;
    this.refilledAt = now;
  }

  take(now: number): boolean {
    const elapsed = Math.max(0, now - this.refilledAt) / 1000;
    this.tokens = Math.min(this.limits.burstLimit, this.tokens + elapsed * this.limits.rateLimit);
    this.refilledAt = Math.max(now, this.refilledAt);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** New limits keep the tokens left (capped to the new burst). */
  retune(limits: ThrottleLimits): void {
    this.limits = limits;
    this.tokens = Math.min(this.tokens, limits.burstLimit);
  }

  sameLimits(limits: ThrottleLimits): boolean {
    return this.limits.rateLimit === limits.rateLimit && this.limits.burstLimit === limits.burstLimit;
  }
}

/** Bounds the buckets kept: the oldest are dropped (a dropped bucket starts full again). */
const MAX_BUCKETS = 50_000;

/** Buckets by name (`stage:api/stage/method`, `plan:id/key/method` …). */
export class Throttles {
  private readonly buckets = new BoundedMap<string, TokenBucket>(MAX_BUCKETS);

  constructor(private readonly clock: Clock) {}

  /** Whether a request under `limits` may pass; a limit of no tokens (burst 0) refuses all. */
  take(name: string, limits: ThrottleLimits): boolean {
    const now = this.clock.now();
    let bucket = this.buckets.get(name);
    if (!bucket) {
      this.buckets.set(name, (bucket = new TokenBucket(limits, now)));
    } else if (!bucket.sameLimits(limits)) {
      bucket.retune(limits);
    }
    return bucket.take(now);
  }

  forget(): void {
    this.buckets.clear();
  }
}
