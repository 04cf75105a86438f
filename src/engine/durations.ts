/**
 * Durations as people type them (`90m`, `1h30m`, `12h`, `2d`, `45s`, `500ms`, `1w`), and instants
 * as ISO 8601 dates (`2027-01-01`, `2027-01-01T09:00:00Z`).
 */
const unitMs: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** Milliseconds, or undefined when `text` is not a duration. */
export function parseDuration(text: string): number | undefined {
  if (!/^(\d+(\.\d+)?(ms|s|m|h|d|w))+$/.test(text)) return undefined;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g)) {
    total += Number(amount) * unitMs[unit!]!;
  }
  return Math.round(total);
}

/** Epoch milliseconds, or undefined when `text` is not an ISO 8601 date (with or without a time). */
export function parseIsoTime(text: string): number | undefined {
  const ms = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : NaN;
  return Number.isNaN(ms) ? undefined : ms;
}
