/**
 * When an EventBridge Scheduler schedule is due, purely: `at(yyyy-mm-ddThh:mm:ss)` once, `rate(…)`
 * every period from its StartDate (or from when it was created), `cron(…)` at the wall-clock
 * minutes it names in its ScheduleExpressionTimezone (IANA names, through Intl) — all within
 * StartDate and EndDate. Daylight saving time as the Scheduler documents it: a cron time that does
 * not exist when clocks spring forward is skipped, one that happens twice when they fall back runs
 * once; a rate counts fixed durations (a day is 24 hours), whatever the clocks do.
 */
import { parseScheduleExpression, type ScheduleExpression } from '../events/schedule-expression.js';
import { cronNext, nextDue as eventsNextDue } from '../events/schedule-next.js';

export type Timing = { kind: 'at'; wall: number } | ScheduleExpression;

export interface ScheduleWindow {
  timing: Timing;
  zone: string;
  /** Where a rate counts from: StartDate, else the creation time. */
  anchor: number;
  start?: number | undefined;
  end?: number | undefined;
}

/** The parsed expression, or undefined when the Scheduler refuses it. */
export function parseTiming(text: string): Timing | undefined {
  const at = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/.exec(text);
  if (at) {
    const [y, mo, d, h, mi, s] = at.slice(1).map(Number) as [number, number, number, number, number, number];
    const wall = Date.UTC(y, mo - 1, d, h, mi, s);
    const date = new Date(wall);
    if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || h > 23 || mi > 59 || s > 59)
      return undefined;
    return { kind: 'at', wall };
  }
  return parseScheduleExpression(text);
}

export function validZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The first due time strictly after `after`, or undefined when the schedule has none left. */
export function nextDue(window: ScheduleWindow, after: number): number | undefined {
  const from = window.start !== undefined ? Math.max(after, window.start - 1) : after;
  const due = unbounded(window, from);
  return due !== undefined && (window.end === undefined || due <= window.end) ? due : undefined;
}

/** The latest due time at or before `now`, from a pending one that has passed (downtime fires once). */
export function latestDue(window: ScheduleWindow, pending: number, now: number): number {
  let latest = pending;
  for (;;) {
    const next = nextDue(window, latest);
    if (next === undefined || next > now) return latest;
    latest = next;
  }
}

function unbounded(window: ScheduleWindow, after: number): number | undefined {
  const { timing, zone } = window;
  if (timing.kind === 'at') {
    const due = instantOf(timing.wall, zone) ?? timing.wall;
    return due > after ? due : undefined;
  }
  if (timing.kind === 'rate') return eventsNextDue(timing, after, window.anchor);
  let wall = wallOf(after, zone);
  for (;;) {
    const next = cronNext(timing.fields, wall);
    if (next === undefined) return undefined;
    const due = instantOf(next, zone);
    // A skipped wall time (spring forward) or the second pass of a repeated one (fall back).
    if (due !== undefined && due > after) return due;
    wall = next;
  }
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock time in `zone` at an instant, written as if it were UTC. */
export function wallOf(instant: number, zone: string): number {
  let format = formats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(zone, format);
  }
  const part = Object.fromEntries(format.formatToParts(instant).map((p) => [p.type, Number(p.value)]));
  const ms = instant - Math.floor(instant / 1000) * 1000;
  return Date.UTC(part.year!, part.month! - 1, part.day!, part.hour!, part.minute!, part.second!) + ms;
}

/** The first instant whose wall-clock time in `zone` is `wall`; undefined for a time clocks skip. */
export function instantOf(wall: number, zone: string): number | undefined {
  const day = 86_400_000;
  const candidates = [wall - day, wall + day]
    .map((probe) => wall - (wallOf(probe, zone) - probe))
    .filter((instant) => wallOf(instant, zone) === wall)
    .sort((a, b) => a - b);
  return candidates[0];
}
