import { describe, expect, it } from 'vitest';
import { parseScheduleExpression } from './schedule-expression.js';
import { latestDue, nextDue } from './schedule-next.js';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
const next = (expression: string, after: string, anchor = after) =>
  iso(nextDue(parseScheduleExpression(expression)!, at(after), at(anchor)));

describe('next due time of a schedule', () => {
  it.each([
    ['rate(5 minutes)', '2026-11-01T12:00:00Z', '2026-11-01T12:05:00.000Z'],
    ['rate(1 hour)', '2026-11-01T12:00:00Z', '2026-11-01T13:00:00.000Z'],
    ['rate(2 days)', '2026-11-01T12:00:00Z', '2026-11-03T12:00:00.000Z'],
  ])('%s counts from its anchor (%s)', (expression, anchor, due) => {
    expect(next(expression, anchor)).toBe(due);
  });

  it('a rate keeps its anchor: the next time after a late moment is on the anchor grid', () => {
    expect(next('rate(5 minutes)', '2026-11-01T12:07:30Z', '2026-11-01T12:00:00Z')).toBe(
      '2026-11-01T12:10:00.000Z',
    );
  });

  it.each([
    ['cron(0 12 * * ? *)', '2026-11-01T11:59:59Z', '2026-11-01T12:00:00.000Z'],
    ['cron(0 12 * * ? *)', '2026-11-01T12:00:00Z', '2026-11-02T12:00:00.000Z'],
    ['cron(*/15 * * * ? *)', '2026-11-01T12:01:00Z', '2026-11-01T12:15:00.000Z'],
    ['cron(0/10 * ? * MON-FRI *)', '2026-11-01T12:00:00Z', '2026-11-02T00:00:00.000Z'],
    ['cron(0 18 ? * MON-FRI *)', '2026-11-06T18:00:00Z', '2026-11-09T18:00:00.000Z'],
    ['cron(0 8 L * ? *)', '2026-02-01T00:00:00Z', '2026-02-28T08:00:00.000Z'],
    ['cron(0 8 L * ? *)', '2028-02-01T00:00:00Z', '2028-02-29T08:00:00.000Z'],
    ['cron(0 8 31 * ? *)', '2026-04-01T00:00:00Z', '2026-05-31T08:00:00.000Z'],
    // 2026-08-01 is a Saturday: 1W moves forward to Monday the 3rd, not back into July.
    ['cron(0 8 1W * ? *)', '2026-07-31T09:00:00Z', '2026-08-03T08:00:00.000Z'],
    // 2026-11-15 is a Sunday: 15W is Monday the 16th; 2026-11-14 (Saturday) 14W is Friday the 13th.
    ['cron(0 8 15W * ? *)', '2026-11-01T00:00:00Z', '2026-11-16T08:00:00.000Z'],
    ['cron(0 8 14W * ? *)', '2026-11-01T00:00:00Z', '2026-11-13T08:00:00.000Z'],
    // 2026-05-31 is a Sunday: LW is Friday the 29th.
    ['cron(0 8 LW * ? *)', '2026-05-01T00:00:00Z', '2026-05-29T08:00:00.000Z'],
    ['cron(0 9 ? * 2#1 *)', '2026-11-01T00:00:00Z', '2026-11-02T09:00:00.000Z'],
    ['cron(0 9 ? * MON#3 *)', '2026-11-01T00:00:00Z', '2026-11-16T09:00:00.000Z'],
    ['cron(15 10 ? * 6L 2026-2027)', '2026-11-01T00:00:00Z', '2026-11-27T10:15:00.000Z'],
    ['cron(0 0 ? * L *)', '2026-11-01T00:00:00Z', '2026-11-07T00:00:00.000Z'],
    ['cron(0,30 * ? JAN,JUL SUN *)', '2026-11-01T00:00:00Z', '2027-01-03T00:00:00.000Z'],
    ['cron(0 12 ? * FRI-MON *)', '2026-11-03T00:00:00Z', '2026-11-06T12:00:00.000Z'],
    ['cron(0 12 1 1 ? 2027)', '2026-11-01T00:00:00Z', '2027-01-01T12:00:00.000Z'],
  ])('%s after %s is %s', (expression, after, due) => {
    expect(next(expression, after)).toBe(due);
  });

  it('a cron expression whose years have passed is never due again', () => {
    expect(next('cron(0 12 1 1 ? 2025)', '2026-11-01T00:00:00Z')).toBeUndefined();
  });

  it('after downtime the latest missed time is the one that fires', () => {
    const rate = parseScheduleExpression('rate(5 minutes)')!;
    expect(iso(latestDue(rate, at('2026-11-01T12:05:00Z'), at('2026-11-01T12:27:00Z')))).toBe(
      '2026-11-01T12:25:00.000Z',
    );
    const cron = parseScheduleExpression('cron(0 12 * * ? *)')!;
    expect(iso(latestDue(cron, at('2026-11-01T12:00:00Z'), at('2026-11-04T11:00:00Z')))).toBe(
      '2026-11-03T12:00:00.000Z',
    );
  });
});
