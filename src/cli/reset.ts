/**
 * `stratus reset [--service NAME]…`: wipes what a running Stratus holds — every service's, or the
 * named ones' — through `POST /_stratus/reset`, and prints what went. For test suites, between
 * cases.
 */
import { UsageError, type Command } from './command.js';
import { connectionFlags, connectionOf, formatTable, reportingFailures } from './functions.js';
import { controlFailure, signedFetch } from './signed-fetch.js';

/** What `POST /_stratus/reset` answers. */
interface ResetReport {
  services: string[];
  tables: Record<string, number>;
  workItems: number;
  blobs: number;
  durationMs: number;
}

function isResetReport(value: unknown): value is ResetReport {
  const report = value as Partial<ResetReport> | null;
  return Array.isArray(report?.services) && typeof report?.tables === 'object';
}

/** `--service a --service b,c` → `[a, b, c]`; undefined when none is named. */
export function serviceNames(values: string | boolean | string[] | undefined): string[] | undefined {
  if (values === undefined || typeof values === 'boolean') return undefined;
  const names = (Array.isArray(values) ? values : [values]).flatMap((v) => v.split(',')).map((n) => n.trim());
  if (names.some((name) => name === '')) throw new UsageError('--service needs a service name');
  return names;
}

export function formatReset(report: ResetReport, everything: boolean): string {
  const what = everything ? 'every service' : report.services.join(', ');
  const rows = [
    ...Object.entries(report.tables).filter(([, n]) => n > 0),
    ...(report.workItems > 0 ? [['work items', report.workItems] as const] : []),
    ...(report.blobs > 0 ? [['blobs', report.blobs] as const] : []),
  ].map(([name, n]) => [name, String(n)]);
  const head = `Reset ${what} in ${report.durationMs} ms`;
  if (rows.length === 0) return `${head}: there was nothing to wipe.\n`;
  return `${head}:\n\n${formatTable(['Wiped', 'Rows'], rows, new Set([1]))}`;
}

export const reset: Command = {
  name: 'reset',
  summary: 'Wipe what a running Stratus holds (for test suites)',
  description: [
    'Deletes every resource, message, execution, log and metric of a running Stratus — or only',
    "those of the services named with --service (repeatable, or comma-separated: 'sqs,sns') —",
    'while it keeps running: warm functions stop, pollers of deleted mappings too. Prints what was',
    'wiped. Signed with AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (default test/test).',
  ].join('\n'),
  flags: {
    service: { type: 'string', arg: 'NAME', multiple: true, describe: 'Only this service (repeatable)' },
    endpoint: connectionFlags.endpoint!,
  },
  async run(values, env) {
    const connection = connectionOf(values, env);
    const services = serviceNames(values.service);
    return reportingFailures('reset', connection, async () => {
      const response = await signedFetch(connection, new URL('/_stratus/reset', connection.endpoint), {
        method: 'POST',
        ...(services
          ? { body: JSON.stringify({ services }), headers: { 'content-type': 'application/json' } }
          : {}),
      });
      const body: unknown = await response.json().catch(() => undefined);
      if (response.ok && isResetReport(body)) {
        process.stdout.write(formatReset(body, services === undefined));
        return 0;
      }
      // An unknown service name is the caller's mistake, reported like a bad flag.
      const usage = response.status === 400;
      process.stderr.write(`stratus reset: ${controlFailure(connection, response, body)}\n`);
      return usage ? 2 : 1;
    });
  },
};
