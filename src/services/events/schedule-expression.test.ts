import { describe, expect, it } from 'vitest';
import { parseScheduleExpression } from './schedule-expression.js';

describe('ScheduleExpression syntax', () => {
  it.each([
    'rate(1 minute)',
    'rate(5 minutes)',
    'rate(1 hour)',
    'rate(12 hours)',
    'rate(1 day)',
    'rate(7 days)',
    'cron(0 12 * * ? *)',
    'cron(15 10 ? * 6L 2026-2027)',
    'cron(0/10 * ? * MON-FRI *)',
    'cron(0/5 8-17 ? * MON-FRI *)',
    'cron(0 9 ? * 2#1 *)',
    'cron(0 18 ? * MON-FRI *)',
    'cron(0 8 1 * ? *)',
    'cron(0 8 L * ? *)',
    'cron(0 8 3W * ? *)',
    'cron(0,30 * ? JAN,JUL SUN *)',
    'cron(*/15 * * * ? *)',
  ])('accepts %s', (expression) => {
    expect(parseScheduleExpression(expression)).toBeDefined();
  });

  it.each([
    ['rate(1 minutes)', 'a plural unit for 1'],
    ['rate(5 minute)', 'a singular unit for more than 1'],
    ['rate(0 minutes)', 'zero'],
    ['rate(5 weeks)', 'an unknown unit'],
    ['rate(5minutes)', 'no space'],
    ['cron(0 12 * * * *)', 'both day fields given'],
    ['cron(0 12 ? * ? *)', 'neither day field given'],
    ['cron(0 12 * * ?)', 'five fields'],
    ['cron(60 12 * * ? *)', 'minute 60'],
    ['cron(0 24 * * ? *)', 'hour 24'],
    ['cron(0 12 32 * ? *)', 'day 32'],
    ['cron(0 12 ? 13 MON *)', 'month 13'],
    ['cron(0 12 ? * FUNDAY *)', 'an unknown weekday'],
    ['cron(0 12 ? * MON 1969)', 'a year before 1970'],
    ['cron(0/0 12 * * ? *)', 'a step of 0'],
    ['cron(0 12 L * ? *) extra', 'text after the expression'],
    ['at(2026-01-01T00:00:00)', 'a one-time schedule (Scheduler only)'],
  ])('refuses %s (%s)', (expression) => {
    expect(parseScheduleExpression(expression)).toBeUndefined();
  });

  it('reads rates and cron fields for the scheduler', () => {
    expect(parseScheduleExpression('rate(5 minutes)')).toEqual({ kind: 'rate', value: 5, unit: 'minute' });
    expect(parseScheduleExpression('cron(0 18 ? * MON-FRI *)')).toEqual({
      kind: 'cron',
      fields: { minutes: '0', hours: '18', dayOfMonth: '?', month: '*', dayOfWeek: 'MON-FRI', year: '*' },
    });
  });
});
