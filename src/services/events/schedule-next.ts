/**
 * When a schedule is next due: pure arithmetic over a parsed ScheduleExpression (see
 * schedule-expression.ts). A rate repeats every period from an anchor (the time the rule was
 * created or enabled); a cron expression is read in UTC with AWS's semantics — exactly one of
 * day-of-month and day-of-week names the days, `L` is the month's last day (or, in day-of-week,
 * Saturday or the last such weekday), `W` the weekday nearest a day without leaving the month,
 * `#` the nth such weekday of the month, day-of-week counts 1 = SUN … 7 = SAT.
 */
import type { CronFields, ScheduleExpression } from './schedule-expression.js';

const minuteMs = 60_000;
const unitMs = { minute: minuteMs, hour: 60 * minuteMs, day: 24 * 60 * minuteMs };
const dayMs = unitMs.day;
const months = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const weekdays = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const lastYear = 2199;

/** The first due time strictly after `after`; undefined when none is left (a cron's last year passed). */
export function nextDue(expression: ScheduleExpression, after: number, anchor: number): number | undefined {
  if (expression.kind === 'rate') {
    const period = expression.value * unitMs[expression.unit];
    if (after < anchor) return anchor;
    return anchor + (Math.floor((after - anchor) / period) + 1) * period;
  }
  return cronNext(expression.fields, after);
}

/**
 * The latest due time at or before `now` of a schedule whose pending due time `pending` has
 * passed: after downtime a schedule fires once, for the latest time it missed, not once per
 * missed time.
 */
export function latestDue(expression: ScheduleExpression, pending: number, now: number): number {
  let latest = pending;
  for (;;) {
    const next = nextDue(expression, latest, pending);
    if (next === undefined || next > now) return latest;
    latest = next;
  }
}

type DayTest = (year: number, month: number, day: number) => boolean;

interface CompiledCron {
  minutes: number[];
  hours: number[];
  months: Set<number>;
  years: Set<number>;
  day: DayTest;
}

/** The first minute strictly after `after` that the expression names, in UTC. */
export function cronNext(fields: CronFields, after: number): number | undefined {
  const cron = compile(fields);
  const start = new Date(Math.floor(after / minuteMs) * minuteMs + minuteMs);
  let dayStart = Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate());
  let fromMinute = start.getUTCHours() * 60 + start.getUTCMinutes();
  for (;;) {
    const date = new Date(dayStart);
    const year = date.getUTCFullYear();
    if (year > lastYear) return undefined;
    const month = date.getUTCMonth() + 1;
    if (!cron.years.has(year)) {
      dayStart = Date.UTC(year + 1, 0, 1);
    } else if (!cron.months.has(month)) {
      dayStart = Date.UTC(year, month, 1);
    } else {
      if (cron.day(year, month, date.getUTCDate())) {
        for (const hour of cron.hours) {
          for (const minute of cron.minutes) {
            if (hour * 60 + minute >= fromMinute) return dayStart + (hour * 60 + minute) * minuteMs;
          }
        }
      }
      dayStart += dayMs;
    }
    fromMinute = 0;
  }
}

function compile(fields: CronFields): CompiledCron {
  return {
    minutes: [...values(fields.minutes, 0, 59)].sort((a, b) => a - b),
    hours: [...values(fields.hours, 0, 23)].sort((a, b) => a - b),
    months: values(fields.month, 1, 12, months),
    years: values(fields.year, 1970, lastYear),
    day: fields.dayOfMonth !== '?' ? dayOfMonthTest(fields.dayOfMonth) : dayOfWeekTest(fields.dayOfWeek),
  };
}

/** The values a list of `*`, `a`, `a-b` (wrapping past max, as FRI-MON), each with an optional `/step`. */
function values(field: string, min: number, max: number, names?: readonly string[]): Set<number> {
  const result = new Set<number>();
  for (const element of field.split(',')) {
    const [range, stepText] = element.split('/') as [string, string | undefined];
    const step = stepText === undefined ? 1 : Number(stepText);
    let from = min;
    let to = max;
    if (range !== '*') {
      const [a, b] = range.split('-') as [string, string | undefined];
      from = number(a, min, names);
      // `a/step` runs from a to the end of the field.
      to = b !== undefined ? number(b, min, names) : stepText !== undefined ? max : from;
    }
    const span = to >= from ? to - from : to - from + (max - min + 1);
    for (let offset = 0; offset <= span; offset += step) {
      result.add(((from - min + offset) % (max - min + 1)) + min);
    }
  }
  return result;
}

function number(text: string, min: number, names?: readonly string[]): number {
  const named = names?.indexOf(text.toUpperCase()) ?? -1;
  return named >= 0 ? min + named : Number(text);
}

const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();
/** 1 = Sunday … 7 = Saturday, as cron counts. */
const weekday = (year: number, month: number, day: number) =>
  new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1;

/** The weekday nearest `day` in its month (a Saturday moves to Friday, a Sunday to Monday, never across the month's edge). */
function nearestWeekday(year: number, month: number, day: number): number {
  const last = daysIn(year, month);
  const target = Math.min(day, last);
  const dow = weekday(year, month, target);
  if (dow === 7) return target === 1 ? 3 : target - 1;
  if (dow === 1) return target === last ? target - 2 : target + 1;
  return target;
}

function dayOfMonthTest(field: string): DayTest {
  const tests = field.split(',').map((element): DayTest => {
    if (element === 'L') return (y, m, d) => d === daysIn(y, m);
    if (element === 'LW') return (y, m, d) => d === nearestWeekday(y, m, daysIn(y, m));
    const near = /^(\d+)W$/.exec(element);
    if (near) return (y, m, d) => d === nearestWeekday(y, m, Number(near[1]));
    const days = values(element, 1, 31);
    return (_y, _m, d) => days.has(d);
  });
  return (y, m, d) => tests.some((test) => test(y, m, d));
}

function dayOfWeekTest(field: string): DayTest {
  const tests = field.split(',').map((element): DayTest => {
    if (element === 'L') return (y, m, d) => weekday(y, m, d) === 7;
    const last = /^(\w+)L$/.exec(element);
    if (last) {
      const dow = number(last[1]!, 1, weekdays);
      return (y, m, d) => weekday(y, m, d) === dow && d + 7 > daysIn(y, m);
    }
    const nth = /^(\w+)#([1-5])$/.exec(element);
    if (nth) {
      const dow = number(nth[1]!, 1, weekdays);
      const n = Number(nth[2]);
      return (y, m, d) => weekday(y, m, d) === dow && Math.ceil(d / 7) === n;
    }
    const days = values(element, 1, 7, weekdays);
    return (y, m, d) => days.has(weekday(y, m, d));
  });
  return (y, m, d) => tests.some((test) => test(y, m, d));
}
