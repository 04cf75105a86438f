/** `stratus logs <function>`: a function's log events from CloudWatch Logs, optionally followed. */
import type { CloudWatchLogsClient, FilteredLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import { UsageError } from './command.js';
import { connectionFlags, connectionOf, reportingFailures, type OperandCommand } from './functions.js';
import { parseIsoTime } from '../engine/durations.js';

const pollIntervalMs = 1000;
const units: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `10m`, `1h`, `2d` (back from now) or an ISO 8601 date, as epoch milliseconds. */
export function parseSince(text: string, now: number): number {
  const relative = /^(\d+)([smhdw])$/.exec(text);
  if (relative) return now - Number(relative[1]) * units[relative[2]!]!;
  const at = parseIsoTime(text);
  if (at === undefined) {
    throw new UsageError(`--since takes a duration (30s, 10m, 1h, 2d, 1w) or an ISO date, got '${text}'`);
  }
  return at;
}

export function formatEvent(event: FilteredLogEvent): string {
  const time = new Date(event.timestamp ?? 0).toISOString();
  const message = (event.message ?? '').replace(/\n$/, '');
  return `${time}  ${event.logStreamName ?? '-'}  ${message}\n`;
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

/**
 * Reads the events since `startTime`, every page, printing those not yet printed. Events are
 * ordered by time; like `aws logs tail --follow`, the next poll starts at the last timestamp seen
 * and skips the events already printed at that instant.
 */
class Tail {
  private startTime: number;
  private printedAtStart = new Set<string>();

  constructor(
    private readonly client: CloudWatchLogsClient,
    private readonly logGroupName: string,
    since: number,
    private readonly filterPattern: string | undefined,
  ) {
    this.startTime = since;
  }

  async poll(): Promise<void> {
    const { FilterLogEventsCommand } = await import('@aws-sdk/client-cloudwatch-logs');
    let nextToken: string | undefined;
    do {
      const page = await this.client.send(
        new FilterLogEventsCommand({
          logGroupName: this.logGroupName,
          startTime: this.startTime,
          ...(this.filterPattern ? { filterPattern: this.filterPattern } : {}),
          ...(nextToken ? { nextToken } : {}),
        }),
      );
      for (const event of page.events ?? []) this.print(event);
      nextToken = page.nextToken;
    } while (nextToken);
  }

  private print(event: FilteredLogEvent): void {
    const timestamp = event.timestamp ?? 0;
    const id = event.eventId ?? '';
    if (timestamp === this.startTime && this.printedAtStart.has(id)) return;
    if (timestamp > this.startTime) {
      this.startTime = timestamp;
      this.printedAtStart = new Set();
    }
    this.printedAtStart.add(id);
    process.stdout.write(formatEvent(event));
  }
}

/** Aborts on the first SIGINT or SIGTERM, so a follow ends cleanly with exit code 0. */
export function stopSignal(): AbortSignal {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return controller.signal;
}

export const logs: OperandCommand = {
  name: 'logs',
  operands: [{ name: 'FUNCTION', key: 'function' }],
  summary: "Print a function's logs",
  description: [
    'Prints the events of log group /aws/lambda/FUNCTION (FilterLogEvents) as',
    '"timestamp  stream  message". With --follow, keeps printing new events every second until',
    'interrupted (Ctrl-C).',
  ].join('\n'),
  flags: {
    since: {
      type: 'string',
      arg: 'WHEN',
      describe: 'From how long ago (30s, 10m, 1h, 2d, 1w) or an ISO date (default 10m)',
    },
    filter: {
      type: 'string',
      arg: 'PATTERN',
      describe: 'Only events matching this CloudWatch Logs filter pattern',
    },
    follow: { type: 'boolean', describe: 'Keep printing new events until interrupted' },
    ...connectionFlags,
  },
  async run(values, env) {
    const connection = connectionOf(values, env);
    const since = parseSince(typeof values.since === 'string' ? values.since : '10m', Date.now());
    const filter = typeof values.filter === 'string' ? values.filter : undefined;
    const logGroupName = `/aws/lambda/${String(values.function)}`;
    return reportingFailures('logs', connection, async () => {
      const { CloudWatchLogsClient } = await import('@aws-sdk/client-cloudwatch-logs');
      const client = new CloudWatchLogsClient(connection.clientConfig);
      const tail = new Tail(client, logGroupName, since, filter);
      const stopped = values.follow ? stopSignal() : undefined;
      let waitingSaid = false;
      try {
        do {
          try {
            await tail.poll();
          } catch (err) {
            // A function that has never run has no log group yet: following waits for it.
            if ((err as Error).name !== 'ResourceNotFoundException') throw err;
            if (!stopped) {
              process.stderr.write(
                `stratus logs: no log group ${logGroupName} (has the function run yet?)\n`,
              );
              return 1;
            }
            if (!waitingSaid) process.stderr.write(`stratus logs: waiting for log group ${logGroupName}\n`);
            waitingSaid = true;
          }
          if (stopped) await pause(pollIntervalMs, stopped);
        } while (stopped && !stopped.aborted);
      } finally {
        client.destroy();
      }
      return 0;
    });
  },
};
