/**
 * `stratus functions`: the functions of a running Stratus, as Lambda's console lists them.
 *
 * Also what the commands that talk to Stratus through the AWS SDK share (`functions`, `invoke`,
 * `logs`, `cost`): the connection flags, the client settings, a command operand (`stratus invoke
 * <function>`, which command.ts's flags-only parse does not know), failures in words, and tables.
 */
import { parseArgs } from 'node:util';
import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import { commandHelp, parseFlags, UsageError, type Command, type Flag, type FlagValues } from './command.js';

export const defaultEndpoint = 'http://127.0.0.1:4566';
const defaultRegion = 'us-east-1';
const regionPattern = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** Where Stratus is and which region to work in; every SDK command takes them. */
export const connectionFlags: Record<string, Flag> = {
  endpoint: {
    type: 'string',
    arg: 'URL',
    env: 'AWS_ENDPOINT_URL',
    describe: `Where Stratus listens (default ${defaultEndpoint})`,
  },
  region: {
    type: 'string',
    arg: 'REGION',
    env: 'AWS_REGION',
    describe: `Region to work in (else AWS_DEFAULT_REGION, else ${defaultRegion})`,
  },
};

export interface Connection {
  endpoint: URL;
  region: string;
  /** Settings for any AWS SDK v3 client. */
  clientConfig: {
    endpoint: string;
    region: string;
    credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
    disableHostPrefix: true;
  };
}

/**
 * Flags win over the environment, the environment over defaults; an empty variable counts as
 * unset. Credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY when both are set (they
 * select the account), else Stratus's default `test`/`test` key.
 */
export function connectionOf(values: FlagValues, env: NodeJS.ProcessEnv): Connection {
  const flag = (name: string) => (typeof values[name] === 'string' ? values[name] : undefined);
  const endpointSource = flag('endpoint') !== undefined ? '--endpoint' : 'AWS_ENDPOINT_URL';
  const endpointText = flag('endpoint') ?? (env.AWS_ENDPOINT_URL || defaultEndpoint);
  let endpoint: URL | undefined;
  try {
    endpoint = new URL(endpointText);
  } catch {
    endpoint = undefined;
  }
  if (endpoint?.protocol !== 'http:' && endpoint?.protocol !== 'https:') {
    throw new UsageError(`${endpointSource} must be an http:// or https:// URL, got '${endpointText}'`);
  }
  const region = flag('region') ?? (env.AWS_REGION || env.AWS_DEFAULT_REGION || defaultRegion);
  if (!regionPattern.test(region)) throw new UsageError(`'${region}' is not a region name`);
  const keyed = Boolean(env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY);
  const credentials = keyed
    ? {
        accessKeyId: env.AWS_ACCESS_KEY_ID!,
        secretAccessKey: env.AWS_SECRET_ACCESS_KEY!,
        ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
      }
    : { accessKeyId: 'test', secretAccessKey: 'test' };
  // The SDK warns on Node 20 about its own future releases; Stratus supports Node 20, and the
  // warning would only bury the command's output.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  return {
    endpoint,
    region,
    clientConfig: { endpoint: endpoint.origin, region, credentials, disableHostPrefix: true },
  };
}

/**
 * Why a call failed, in words, or undefined for a bug. An AWS error keeps its code and message;
 * a connection that fails says where nobody answered.
 */
export function describeFailure(err: unknown, connection: Connection): string | undefined {
  if (!(err instanceof Error)) return undefined;
  const e = err as Error & { code?: string; $fault?: string };
  if (e.$fault) return `${e.name}: ${e.message}`;
  // The SDK rejects with the socket's error; `fetch` with a TypeError whose cause it is.
  const code = e.code ?? (e.cause as { code?: string } | undefined)?.code;
  if (code && /^E[A-Z]+$/.test(code)) {
    return `no Stratus answers at ${connection.endpoint.origin} (${code}); start one with 'stratus start'`;
  }
  if (e.name === 'TimeoutError') return `${connection.endpoint.origin} did not answer in time`;
  return undefined;
}

/** Runs a command body and turns failures a user can act on into a message and exit code 1. */
export async function reportingFailures(
  command: string,
  connection: Connection,
  body: () => Promise<number>,
): Promise<number> {
  try {
    return await body();
  } catch (err) {
    const reason = describeFailure(err, connection);
    if (reason === undefined) throw err;
    process.stderr.write(`stratus ${command}: ${reason}\n`);
    return 1;
  }
}

/**
 * A command that takes operands after its name, such as the function of `stratus invoke` or the
 * action and file of `stratus snapshot save FILE`.
 */
export interface OperandCommand extends Command {
  operands: readonly {
    /** Shown in help (`FUNCTION`). */
    name: string;
    /** The key the operand is passed under in the command's values. */
    key: string;
  }[];
}

function operandsOf(command: Command): OperandCommand['operands'] | undefined {
  return (command as Partial<OperandCommand>).operands;
}

/**
 * Parses a command line. For a command with operands, they are found with the command's own
 * flags (so `--payload {} fn` and `fn --payload {}` both work), taken out, and the rest parsed
 * as usual; a missing operand is a usage error unless help or the version is asked for.
 */
export function parseCommandLine(command: Command, args: string[]): FlagValues {
  if (command.parse) return command.parse(args);
  const expected = operandsOf(command);
  if (!expected) return parseFlags(args, command.flags);
  const options = Object.fromEntries(
    Object.entries(command.flags).map(([name, f]) => [name, { type: f.type }]),
  );
  const { tokens } = parseArgs({ args, options, strict: false, allowPositionals: true, tokens: true });
  const operandIndexes = new Set(
    tokens.filter((t) => t.kind === 'positional' || t.kind === 'option-terminator').map((t) => t.index),
  );
  const values = parseFlags(
    args.filter((_, i) => !operandIndexes.has(i)),
    command.flags,
  );
  const operands = tokens.flatMap((t) => (t.kind === 'positional' ? [t.value] : []));
  if (operands.length > expected.length) {
    throw new UsageError(`Unexpected argument '${operands[expected.length]}'`);
  }
  const missing = expected[operands.length];
  if (missing && !values.help && !values.version) {
    throw new UsageError(
      `Missing ${missing.name}: stratus ${command.name} ${usageOperands(expected)} [flags]`,
    );
  }
  return { ...values, ...Object.fromEntries(expected.map((o, i) => [o.key, operands[i]])) };
}

const usageOperands = (operands: OperandCommand['operands']) => operands.map((o) => o.name).join(' ');

export function helpOf(command: Command): string {
  const operands = operandsOf(command);
  const help = commandHelp(command);
  if (!operands) return help;
  return help.replace(
    `stratus ${command.name} [flags]`,
    `stratus ${command.name} ${usageOperands(operands)} [flags]`,
  );
}

/** A plain-text table: a header row, then rows; columns listed in `right` are right-aligned. */
export function formatTable(
  header: string[],
  rows: string[][],
  right: ReadonlySet<number> = new Set(),
): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (right.has(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line), ''].join('\n');
}

/** Sizes as Lambda's console shows them: decimal units, one decimal place (`1.2 kB`). */
export function humanBytes(bytes: number): string {
  const units = ['kB', 'MB', 'GB'];
  if (bytes < 1000) return `${bytes} byte${bytes === 1 ? '' : 's'}`;
  let value = bytes;
  let unit = 'B';
  for (const u of units) {
    // Compare as shown, so 999,950 bytes reads `1.0 MB`, not `1000.0 kB`.
    if (Number(value.toFixed(1)) < 1000) break;
    value /= 1000;
    unit = u;
  }
  return `${value.toFixed(1)} ${unit}`;
}

/** `5 minutes ago`, `3 days ago`; a date more than a month back is shown as a date. */
export function relativeTime(then: number, now: number): string {
  const seconds = Math.max(0, Math.round((now - then) / 1000));
  const steps: [number, string][] = [
    [60, 'second'],
    [60, 'minute'],
    [24, 'hour'],
    [31, 'day'],
  ];
  let value = seconds;
  for (const [size, unit] of steps) {
    if (value < size)
      return value === 0 && unit === 'second' ? 'just now' : `${value} ${unit}${value === 1 ? '' : 's'} ago`;
    value = Math.floor(value / size);
  }
  return new Date(then).toISOString().slice(0, 10);
}

export function formatFunctions(list: readonly FunctionConfiguration[], now: number): string {
  const rows = list.map((f) => {
    // Lambda writes `2024-05-01T12:00:00.000+0000`, which Date.parse reads.
    const modified = f.LastModified ? Date.parse(f.LastModified) : NaN;
    return [
      f.FunctionName ?? '',
      f.Runtime ?? (f.PackageType === 'Image' ? 'Image' : '-'),
      humanBytes(f.CodeSize ?? 0),
      String(f.MemorySize ?? ''),
      Number.isNaN(modified) ? (f.LastModified ?? '-') : relativeTime(modified, now),
    ];
  });
  return formatTable(
    ['Function name', 'Runtime', 'Code size', 'Memory (MB)', 'Last modified'],
    rows,
    new Set([2, 3]),
  );
}

export const functions: Command = {
  name: 'functions',
  summary: 'List the functions in a running Stratus',
  description: [
    'Lists the Lambda functions of the account and region (ListFunctions, every page): name,',
    'runtime, code size, memory and when each was last modified.',
  ].join('\n'),
  flags: connectionFlags,
  async run(values, env) {
    const connection = connectionOf(values, env);
    return reportingFailures('functions', connection, async () => {
      const { LambdaClient, paginateListFunctions } = await import('@aws-sdk/client-lambda');
      const client = new LambdaClient(connection.clientConfig);
      const list: FunctionConfiguration[] = [];
      try {
        for await (const page of paginateListFunctions({ client }, {})) list.push(...(page.Functions ?? []));
      } finally {
        client.destroy();
      }
      if (list.length === 0) {
        process.stdout.write(
          `No functions in ${connection.region} at ${connection.endpoint.origin} yet. Create one with 'aws lambda create-function' or an SDK.\n`,
        );
        return 0;
      }
      list.sort((a, b) => (a.FunctionName ?? '').localeCompare(b.FunctionName ?? ''));
      process.stdout.write(formatFunctions(list, Date.now()));
      return 0;
    });
  },
};
