import { describe, expect, it } from 'vitest';
import { parseDuration, parseIsoTime } from './durations.js';

describe('parseDuration', () => {
  it.each([
    ['90m', 90 * 60_000],
    ['1h30m', 90 * 60_000],
    ['12h', 12 * 3_600_000],
    ['2d', 2 * 86_400_000],
    ['1w', 604_800_000],
    ['45s', 45_000],
    ['500ms', 500],
    ['1.5h', 5_400_000],
    ['1m30s', 90_000],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '15', 'm', '15 m', '-5m', '1y', '5m ', 'h1'])('%j is not a duration', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe('parseIsoTime', () => {
  it('reads ISO 8601 dates, with or without a time', () => {
    expect(parseIsoTime('2027-01-01T09:00:00Z')).toBe(Date.UTC(2027, 0, 1, 9));
    expect(parseIsoTime('2027-01-01')).toBe(Date.UTC(2027, 0, 1));
  });

  it.each(['tomorrow', '', '01/02/2027', '2027-13-45', '12345'])('%j is not one', (text) => {
    expect(parseIsoTime(text)).toBeUndefined();
  });
});
