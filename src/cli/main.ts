/**
 * The `stratus` command. The top level reads only the first word: everything after a command's
 * name belongs to that command, which declares its flags in its own file.
 */
import { ConfigError } from '../config.js';
import { version } from '../version.js';
import { apis } from './apis.js';
import { exitUsage, UsageError, type Command } from './command.js';
import { cost } from './cost.js';
import { functions, helpOf, parseCommandLine } from './functions.js';
import { invoke } from './invoke.js';
import { logs } from './logs.js';
import { mail } from './mail.js';
import { reset } from './reset.js';
import { snapshot } from './snapshot.js';
import { start } from './start.js';
import { status } from './status.js';
import { time } from './time.js';

const commands: readonly Command[] = [
  start,
  status,
  functions,
  invoke,
  apis,
  logs,
  cost,
  mail,
  reset,
  snapshot,
  time,
];

function topHelp(): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  return [
    'Usage: stratus <command> [flags]',
    '',
    'A serverless cloud you run yourself: AWS APIs on one local port.',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    '',
    'Flags:',
    '  -h, --help     Show this help',
    '  -v, --version  Print the Stratus version',
    '',
    "Run 'stratus <command> --help' for a command's flags.",
    '',
  ].join('\n');
}

async function runCommand(command: Command, args: string[]): Promise<number> {
  const values = parseCommandLine(command, args);
  if (values.help) {
    process.stdout.write(helpOf(command));
    return 0;
  }
  if (values.version) {
    process.stdout.write(`${version}\n`);
    return 0;
  }
  return command.run(values, process.env);
}

export async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  const command = commands.find((c) => c.name === first);
  const helpHint = command ? `stratus ${command.name} --help` : 'stratus --help';
  try {
    if (command) return await runCommand(command, rest);
    if (first === '--version' || first === '-v') {
      process.stdout.write(`${version}\n`);
      return 0;
    }
    if (first === '--help' || first === '-h') {
      process.stdout.write(topHelp());
      return 0;
    }
    if (first === undefined) {
      process.stderr.write(topHelp());
      return exitUsage;
    }
    throw new UsageError(first.startsWith('-') ? `Unknown option '${first}'` : `Unknown command '${first}'`);
  } catch (err) {
    if (!(err instanceof UsageError || err instanceof ConfigError)) throw err;
    process.stderr.write(`stratus: ${err.message}\nRun '${helpHint}' for usage.\n`);
    return exitUsage;
  }
}

// Exit explicitly: a store's pool or a stray timer must not keep a stopped server's process alive.
process.exit(await main(process.argv.slice(2)));
