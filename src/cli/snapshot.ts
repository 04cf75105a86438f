/**
 * `stratus snapshot save FILE` and `stratus snapshot load FILE`: the whole state of a running
 * Stratus — every service's tables and the blobs they name — to one portable file and back,
 * through `POST /_stratus/snapshot` and `PUT /_stratus/snapshot`. The file streams both ways.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { UsageError } from './command.js';
import {
  connectionFlags,
  connectionOf,
  humanBytes,
  reportingFailures,
  type OperandCommand,
} from './functions.js';
import { controlFailure, signedFetch } from './signed-fetch.js';
import type { TimeReport } from '../server/control/time.js';
import { describeClock } from './clock-text.js';

/** What `PUT /_stratus/snapshot` answers. */
interface LoadReport {
  tables: number;
  rows: number;
  blobs: number;
  stratusVersion: string;
  createdAt: string;
  upgradedBy: string[];
  durationMs: number;
  /** Stratus's clock, when the load set it (`--time saved`). */
  time?: TimeReport;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function formatLoad(file: string, report: LoadReport): string {
  const upgraded =
    report.upgradedBy.length > 0
      ? `\nIt was brought up to date by ${plural(report.upgradedBy.length, 'migration')}: ${report.upgradedBy.join(', ')}.`
      : '';
  return (
    `Loaded ${file} (Stratus ${report.stratusVersion}, taken ${report.createdAt}) in ${report.durationMs} ms: ` +
    `${plural(report.rows, 'row')} in ${plural(report.tables, 'table')}, ${plural(report.blobs, 'blob')}.${upgraded}\n` +
    (report.time ? `Stratus's time is now ${describeClock(report.time)}.\n` : '')
  );
}

export const snapshot: OperandCommand = {
  name: 'snapshot',
  summary: 'Save the whole state of a running Stratus to a file, or load one',
  description: [
    "save FILE writes every service's resources, messages, logs, metrics and function code to FILE",
    '(one portable file, the same from SQLite and PostgreSQL). load FILE replaces the whole state',
    "with FILE's, at once: a file that cannot be loaded leaves the state as it was. A snapshot from",
    'an older Stratus is brought up to date as it loads. Signed with AWS_ACCESS_KEY_ID /',
    'AWS_SECRET_ACCESS_KEY (default test/test).',
  ].join('\n'),
  operands: [
    { name: 'save|load', key: 'action' },
    { name: 'FILE', key: 'file' },
  ],
  flags: {
    time: {
      type: 'string',
      arg: 'saved',
      describe: "load only: set Stratus's time back to when FILE was saved (a fixture's messages stay fresh)",
    },
    endpoint: connectionFlags.endpoint!,
  },
  async run(values, env) {
    const connection = connectionOf(values, env);
    const action = values.action as string;
    const file = values.file as string;
    if (action !== 'save' && action !== 'load') {
      throw new UsageError(`stratus snapshot takes 'save' or 'load', not '${action}'`);
    }
    if (values.time !== undefined && (action !== 'load' || values.time !== 'saved')) {
      throw new UsageError("--time saved goes with 'load' only");
    }
    const url = new URL('/_stratus/snapshot', connection.endpoint);
    return reportingFailures('snapshot', connection, async () => {
      if (action === 'save') {
        const response = await signedFetch(connection, url, { method: 'POST' });
        if (!response.ok || !response.body) return refused(connection, response);
        // Written beside the target and renamed: a failed save never leaves half a file under its name.
        const partial = `${file}.partial-${process.pid}`;
        try {
          await pipeline(Readable.fromWeb(response.body as WebReadableStream), createWriteStream(partial));
          await rename(partial, file);
        } finally {
          await rm(partial, { force: true });
        }
        process.stdout.write(
          `Saved the state of ${connection.endpoint.origin} to ${file} (${humanBytes((await stat(file)).size)}).\n`,
        );
        return 0;
      }
      let body: Readable;
      try {
        await stat(file);
        body = createReadStream(file);
      } catch {
        throw new UsageError(`cannot read ${file}`);
      }
      if (values.time !== undefined) url.searchParams.set('time', values.time as string);
      const response = await signedFetch(connection, url, { method: 'PUT', body });
      if (!response.ok) return refused(connection, response);
      process.stdout.write(formatLoad(file, (await response.json()) as LoadReport));
      return 0;
    });
  },
};

async function refused(
  connection: Parameters<typeof controlFailure>[0],
  response: Response,
): Promise<number> {
  const body: unknown = await response.json().catch(() => undefined);
  process.stderr.write(`stratus snapshot: ${controlFailure(connection, response, body)}\n`);
  return 1;
}
