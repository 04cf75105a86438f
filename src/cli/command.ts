/**
 * What every `stratus` command shares: a declared set of flags (which also writes its help), one
 * parse with `util.parseArgs`, and usage errors that exit 2 with a one-line message.
 */
import { parseArgs } from 'node:util';

export interface Flag {
  type: 'string' | 'boolean';
  /** Placeholder shown in help for a string flag's value (`--port PORT`). */
  arg?: string;
  describe: string;
  /** The environment variable read when the flag is absent. */
  env?: string;
  /** A string flag that may be given more than once; its value is then a list. */
  multiple?: boolean;
}

export type FlagValues = Record<string, string | boolean | string[] | undefined>;

export interface Command {
  name: string;
  summary: string;
  /** Paragraph under the usage line of `stratus <name> --help`. */
  description: string;
  flags: Record<string, Flag>;
  /** Its own reading of the command line, for commands with words after their name (`stratus time advance 90m`). */
  parse?(args: string[]): FlagValues;
  /** Resolves to the process's exit code. */
  run(values: FlagValues, env: NodeJS.ProcessEnv): Promise<number>;
}

/** A mistake in how Stratus was invoked: reported on one line with a hint, exit code 2. */
export class UsageError extends Error {}

export const exitUsage = 2;

/** `--help` and `--version` are on every command, so commands do not declare them. */
const commonFlags: Record<string, Flag & { short: string }> = {
  help: { type: 'boolean', short: 'h', describe: 'Show this help' },
  version: { type: 'boolean', short: 'v', describe: 'Print the Stratus version' },
};

export function parseFlags(args: string[], flags: Record<string, Flag>): FlagValues {
  const options = Object.fromEntries(
    Object.entries({ ...flags, ...commonFlags }).map(([name, flag]) => [
      name,
      {
        type: flag.type,
        ...('short' in flag ? { short: flag.short } : {}),
        ...(flag.multiple ? { multiple: true } : {}),
      },
    ]),
  );
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values as FlagValues;
  } catch (err) {
    // Node's messages go on to advise about `--`, which never helps here: keep the first sentence.
    if (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS')) {
      throw new UsageError(err.message.split('. ')[0]);
    }
    throw err;
  }
}

function flagColumn(name: string, flag: Flag & { short?: string }): string {
  const long = `--${name}${flag.type === 'string' ? ` ${flag.arg ?? 'VALUE'}` : ''}`;
  return flag.short ? `-${flag.short}, ${long}` : `    ${long}`;
}

export function commandHelp(command: Command): string {
  const entries = Object.entries({ ...command.flags, ...commonFlags });
  const width = Math.max(...entries.map(([name, flag]) => flagColumn(name, flag).length)) + 2;
  // The variable goes on its own line so that rows stay narrow enough for a terminal.
  const rows = entries.flatMap(([name, flag]) => [
    `  ${flagColumn(name, flag).padEnd(width)}${flag.describe}`,
    ...(flag.env ? [`  ${''.padEnd(width)}env ${flag.env}`] : []),
  ]);
  return [`Usage: stratus ${command.name} [flags]`, '', command.description, '', 'Flags:', ...rows, ''].join(
    '\n',
  );
}
