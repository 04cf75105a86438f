/**
 * `stratus time`: shows, sets, advances, freezes and resumes Stratus's clock, through
 * `GET|POST /_stratus/time` of a running Stratus.
 */
import { parseArgs } from 'node:util';
import { parseDuration, parseIsoTime } from '../engine/durations.js';
import type { TimeReport } from '../server/control/time.js';
import { parseFlags, UsageError, type Command, type FlagValues } from './command.js';
import { connectionFlags, connectionOf, reportingFailures } from './functions.js';
import { describeClock } from './clock-text.js';
import { signedFetch } from './signed-fetch.js';

const usage = 'stratus time [advance DURATION | freeze | resume | real] [--at ISO-8601]';

/** The query of the POST a command line asks for, or undefined to only show the time. */
export function timeRequest(values: FlagValues): URLSearchParams | undefined {
  const action = typeof values.action === 'string' ? values.action : undefined;
  const at = typeof values.at === 'string' ? values.at : undefined;
  const query = new URLSearchParams();
  if (at !== undefined) {
    if (parseIsoTime(at) === undefined) {
      throw new UsageError(`--at takes an ISO 8601 date and time (2027-01-01T09:00:00Z), got '${at}'`);
    }
    query.set('at', at);
  }
  switch (action) {
    case undefined:
      break;
    case 'advance': {
      const amount = typeof values.amount === 'string' ? values.amount : undefined;
      if (amount === undefined) throw new UsageError('advance needs a duration: stratus time advance 90m');
      if (parseDuration(amount) === undefined) {
        throw new UsageError(`'${amount}' is not a duration: use forms like 90m, 1h30m, 12h, 2d, 45s`);
      }
      if (at !== undefined) throw new UsageError('Give advance or --at, not both');
      query.set('advance', amount);
      break;
    }
    case 'freeze':
    case 'resume':
      query.set(action, '');
      break;
    case 'real':
      if (at !== undefined) throw new UsageError("'real' takes no --at");
      query.set('real', '');
      break;
    default:
      throw new UsageError(`Unknown time action '${action}': ${usage}`);
  }
  if (action !== 'advance' && values.amount !== undefined) {
    throw new UsageError(`Unexpected argument '${String(values.amount)}'`);
  }
  return [...query.keys()].length > 0 ? query : undefined;
}

export const time: Command = {
  name: 'time',
  summary: "Show or move Stratus's clock",
  description: [
    `${usage}`,
    '',
    "Without arguments, prints Stratus's time. `advance 90m` moves it forward (1h30m, 12h, 2d, 45s …),",
    '--at sets it, `freeze` stops it, `resume` lets it flow again from where it stands, and `real`',
    "goes back to the host's time. What falls due — delayed messages, visibility timeouts, retries,",
    'idle environments — fires in order, once, on every node sharing the store.',
  ].join('\n'),
  flags: {
    at: { type: 'string', arg: 'ISO-8601', describe: 'Set the time (e.g. 2027-01-01T09:00:00Z)' },
    endpoint: connectionFlags.endpoint!,
  },
  parse(args) {
    const options = Object.fromEntries(
      Object.entries(this.flags).map(([name, f]) => [name, { type: f.type }]),
    );
    const { tokens } = parseArgs({ args, options, strict: false, allowPositionals: true, tokens: true });
    const positionalIndexes = new Set(tokens.filter((t) => t.kind === 'positional').map((t) => t.index));
    const values = parseFlags(
      args.filter((_, i) => !positionalIndexes.has(i)),
      this.flags,
    );
    const [action, amount, extra] = tokens.flatMap((t) => (t.kind === 'positional' ? [t.value] : []));
    if (extra !== undefined) throw new UsageError(`Unexpected argument '${extra}'`);
    return { ...values, action, amount };
  },
  async run(values, env) {
    const connection = connectionOf(values, env);
    const query = timeRequest(values);
    return reportingFailures('time', connection, async () => {
      const url = new URL('/_stratus/time', connection.endpoint);
      if (query) url.search = query.toString();
      const response = await signedFetch(connection, url, {
        method: query ? 'POST' : 'GET',
        signal: AbortSignal.timeout(10_000),
      });
      const body = (await response.json().catch(() => undefined)) as
        (TimeReport & { message?: string }) | undefined;
      if (!response.ok || typeof body?.now !== 'string') {
        process.stderr.write(
          `stratus time: ${body?.message ?? `${connection.endpoint.origin} answered HTTP ${response.status}`}\n`,
        );
        return 1;
      }
      process.stdout.write(`${describeClock(body)}\n`);
      return 0;
    });
  },
};
