import { describe, expect, it } from 'vitest';
import { instantOf, nextDue, parseTiming, type ScheduleWindow } from './timing.js';

const at = (iso: string) => Date.parse(iso);
const window = (expression: string, zone = 'UTC', extra: Partial<ScheduleWindow> = {}): ScheduleWindow => ({
  timing: parseTiming(expression)!,
  zone,
  anchor: at('2026-03-01T00:00:00Z'),
  ...extra,
});
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

describe('Scheduler timing', () => {
  it.each([
    'at(2026-02-30T00:00:00)',
    'at(2026-01-01 00:00:00)',
    'at(2026-01-01T24:00:00)',
    'rate(1 minutes)',
    'cron(0 12 * * * *)',
  ])('refuses %s', (text) => expect(parseTiming(text)).toBeUndefined());

  it('a one-time schedule is due once, at its wall-clock time in its zone', () => {
    const w = window('at(2026-03-10T09:30:00)', 'America/New_York');
    expect(iso(nextDue(w, at('2026-03-01T00:00:00Z')))).toBe('2026-03-10T13:30:00.000Z');
    expect(nextDue(w, at('2026-03-10T13:30:00Z'))).toBeUndefined();
  });

  it('a cron time clocks skip in spring is skipped; one they repeat in autumn runs once', () => {
    // New York springs forward on 2026-03-08 at 02:00 and falls back on 2026-11-01 at 02:00.
    const spring = window('cron(30 2 * * ? *)', 'America/New_York');
    expect(iso(nextDue(spring, at('2026-03-07T07:30:00Z')))).toBe('2026-03-09T06:30:00.000Z');
    const autumn = window('cron(30 1 * * ? *)', 'America/New_York');
    expect(iso(nextDue(autumn, at('2026-11-01T04:00:00Z')))).toBe('2026-11-01T05:30:00.000Z');
    expect(iso(nextDue(autumn, at('2026-11-01T05:30:00Z')))).toBe('2026-11-02T06:30:00.000Z');
  });

  it('a cron schedule at 09:00 in a zone follows its clocks across a change', () => {
    const w = window('cron(0 9 * * ? *)', 'Europe/Berlin');
    expect(iso(nextDue(w, at('2026-03-28T12:00:00Z')))).toBe('2026-03-29T07:00:00.000Z');
    expect(iso(nextDue(w, at('2026-03-27T12:00:00Z')))).toBe('2026-03-28T08:00:00.000Z');
  });

  it('a rate counts fixed periods from its anchor, within StartDate and EndDate', () => {
    const w = window('rate(1 day)', 'UTC', {
      start: at('2026-03-05T00:00:00Z'),
      end: at('2026-03-07T00:00:00Z'),
    });
    expect(iso(nextDue(w, at('2026-03-01T00:00:00Z')))).toBe('2026-03-05T00:00:00.000Z');
    expect(iso(nextDue(w, at('2026-03-06T00:00:00Z')))).toBe('2026-03-07T00:00:00.000Z');
    expect(nextDue(w, at('2026-03-07T00:00:00Z'))).toBeUndefined();
  });

  it('finds the instant of a wall-clock time, none in a gap', () => {
    expect(instantOf(at('2026-03-08T02:30:00Z'), 'America/New_York')).toBeUndefined();
    expect(iso(instantOf(at('2026-11-01T01:30:00Z'), 'America/New_York'))).toBe('2026-11-01T05:30:00.000Z');
  });
});
