import { describe, expect, it } from 'vitest';
import { dayOf, periodStart } from './quota-period.js';

// 2026-11-04 is a Wednesday.
const wednesdayNoon = Date.UTC(2026, 10, 4, 12);

describe('quota periods', () => {
  it.each([
    ['DAY', 0, Date.UTC(2026, 10, 4)],
    ['WEEK', 0, Date.UTC(2026, 10, 1)],
    ['WEEK', 1, Date.UTC(2026, 10, 2)],
    ['WEEK', 5, Date.UTC(2026, 9, 30)],
    ['MONTH', 0, Date.UTC(2026, 10, 1)],
    ['MONTH', 2, Date.UTC(2026, 10, 3)],
    ['MONTH', 10, Date.UTC(2026, 9, 11)],
  ])('%s with offset %i begins at the documented instant', (period, offset, start) => {
    expect(periodStart(wednesdayNoon, period, offset)).toBe(start);
  });

  it('names days as GetUsage does', () => {
    expect(dayOf(wednesdayNoon)).toBe('2026-11-04');
  });
});
