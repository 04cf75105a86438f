/** Durations and Stratus's clock in words, as `status`, `time` and the start banner print them. */
import type { TimeReport } from '../server/control/time.js';

/** `1d 2h 3m 4s`, leaving out leading zero units. */
export function formatDuration(seconds: number): string {
  const parts: [number, string][] = [
    [Math.floor(seconds / 86400), 'd'],
    [Math.floor((seconds % 86400) / 3600), 'h'],
    [Math.floor((seconds % 3600) / 60), 'm'],
    [seconds % 60, 's'],
  ];
  const shown = parts.filter(([n], i) => n > 0 || i === parts.length - 1);
  return shown.map(([n, unit]) => `${n}${unit}`).join(' ');
}

/** Whether someone moved the clock away from the host's time (or stopped it). */
export function clockMoved(report: TimeReport): boolean {
  return report.frozen || Math.abs(report.offsetMs) >= 1000;
}

/** `2030-01-01T00:00:00.000Z  frozen, 3d 4h ahead of this host`. */
export function describeClock(report: TimeReport): string {
  const seconds = Math.round(Math.abs(report.offsetMs) / 1000);
  const offset =
    seconds === 0
      ? "the host's time"
      : `${formatDuration(seconds)} ${report.offsetMs > 0 ? 'ahead of' : 'behind'} this host`;
  return `${report.now}  ${report.frozen ? 'frozen' : 'flowing'}, ${offset}`;
}
