import { describe, expect, it } from 'vitest';
import { testEventPattern } from './test-event-pattern.js';

const event = JSON.stringify({
  id: 'e1',
  account: '000000000000',
  source: 'shop',
  time: '2026-11-01T12:00:00Z',
  region: 'us-east-1',
  'detail-type': 'Order Placed',
  resources: [],
  detail: { total: 120, customer: { tier: 'gold' } },
});

describe('TestEventPattern', () => {
  it('matches and misses as routing does', () => {
    expect(
      testEventPattern('{"source": ["shop"], "detail": {"total": [{"numeric": [">", 100]}]}}', event),
    ).toBe(true);
    expect(testEventPattern('{"detail": {"customer": {"tier": [{"anything-but": "gold"}]}}}', event)).toBe(
      false,
    );
  });

  it("refuses a bad pattern with EventBridge's reason", () => {
    expect(() => testEventPattern('{"source": "shop"}', event)).toThrow(
      'Event pattern is not valid. Reason: "source" must be an object or an array',
    );
  });

  it('refuses an event that is not an event', () => {
    expect(() => testEventPattern('{"source": ["shop"]}', '{')).toThrow('Parameter Event is not valid.');
    expect(() => testEventPattern('{"source": ["shop"]}', '{"source": "shop"}')).toThrow(
      'Parameter Event is not valid.',
    );
  });
});
