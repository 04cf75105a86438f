/**
 * `ScheduleExpression` syntax as EventBridge accepts it for rules: `rate(<value> <unit>)` with a
 * positive whole value and a unit that agrees in number with it (`rate(1 hour)`, `rate(5 hours)`;
 * not `rate(1 hours)`), or `cron(<minutes> <hours> <day-of-month> <month> <day-of-week> <year>)`
 * with exactly one of the two day fields `?`, and per field the values and wildcards AWS lists:
 * `, - * /` everywhere, `?` `L` `W` in day-of-month, `?` `L` `#` in day-of-week, month and weekday
 * names. Pure: the parsed form is what a scheduler evaluates.
 */

export type ScheduleExpression =
  { kind: 'rate'; value: number; unit: 'minute' | 'hour' | 'day' } | { kind: 'cron'; fields: CronFields };

export interface CronFields {
  minutes: string;
  hours: string;
  dayOfMonth: string;
  month: string;
  dayOfWeek: string;
  year: string;
}

const months = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const weekdays = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface FieldSpec {
  min: number;
  max: number;
  /** Names standing for min, min + 1, … (month and weekday names). */
  names?: readonly string[];
  /** Forms beyond the common ones, tested on a single element. */
  extra?: (element: string, value: (text: string) => number | undefined) => boolean;
}

const specs: Record<keyof CronFields, FieldSpec> = {
  minutes: { min: 0, max: 59 },
  hours: { min: 0, max: 23 },
  dayOfMonth: {
    min: 1,
    max: 31,
    extra: (element, value) => {
      if (element === 'L' || element === 'LW') return true;
      const weekday = /^(\d+)W$/.exec(element);
      return weekday !== null && value(weekday[1]!) !== undefined;
    },
  },
  month: { min: 1, max: 12, names: months },
  dayOfWeek: {
    min: 1,
    max: 7,
    names: weekdays,
    extra: (element, value) => {
      if (element === 'L') return true;
      const last = /^(\w+)L$/.exec(element);
      if (last) return value(last[1]!) !== undefined;
      const nth = /^(\w+)#([1-5])$/.exec(element);
      return nth !== null && value(nth[1]!) !== undefined;
    },
  },
  year: { min: 1970, max: 2199 },
};

export function parseScheduleExpression(text: string): ScheduleExpression | undefined {
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(text);
  if (rate) {
    const value = Number(rate[1]);
    const plural = rate[2]!.endsWith('s');
    if (value < 1 || plural !== value > 1) return undefined;
    return { kind: 'rate', value, unit: rate[2]!.replace(/s$/, '') as 'minute' | 'hour' | 'day' };
  }
  const cron = /^cron\((.*)\)$/.exec(text);
  if (!cron) return undefined;
  const parts = cron[1]!.trim().split(/\s+/);
  if (parts.length !== 6) return undefined;
  const [minutes, hours, dayOfMonth, month, dayOfWeek, year] = parts as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const fields: CronFields = { minutes, hours, dayOfMonth, month, dayOfWeek, year };
  // One day field names the days, the other is `?`: never both, never neither.
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) return undefined;
  for (const [name, field] of Object.entries(fields) as [keyof CronFields, string][]) {
    if (field === '?' && (name === 'dayOfMonth' || name === 'dayOfWeek')) continue;
    if (!validField(field, specs[name])) return undefined;
  }
  return { kind: 'cron', fields };
}

function validField(field: string, spec: FieldSpec): boolean {
  const value = (text: string): number | undefined => {
    const upper = text.toUpperCase();
    const named = spec.names?.indexOf(upper) ?? -1;
    if (named >= 0) return spec.min + named;
    if (!/^\d+$/.test(text)) return undefined;
    const n = Number(text);
    return n >= spec.min && n <= spec.max ? n : undefined;
  };
  return field.split(',').every((element) => validElement(element, spec, value));
}

function validElement(
  element: string,
  spec: FieldSpec,
  value: (text: string) => number | undefined,
): boolean {
  if (spec.extra?.(element, value)) return true;
  const [range, step, ...rest] = element.split('/');
  if (rest.length > 0 || range === undefined) return false;
  if (step !== undefined && !/^[1-9]\d*$/.test(step)) return false;
  if (range === '*') return true;
  const [from, to, ...more] = range.split('-');
  if (more.length > 0 || from === undefined || value(from) === undefined) return false;
  return to === undefined || value(to) !== undefined;
}
